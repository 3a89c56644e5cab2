import type { FastifyInstance } from 'fastify';
import { PDFDocument as PdfLib } from 'pdf-lib';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { createDelivery, recordSendResult } from '../../../src/db/queries/deliveries.js';
import { uploadDocument } from '../../../src/services/documents/upload-document.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { plain, readPdf } from '../../unit/channels/pdf-text.js';
import { keyFor, makeCustomers, type OrgFixture, orgWithKey, testServer } from './factories.js';

/** A small real PDF: one line of text per page, "<label> page k/n". */
function letterPdf(label: string, pages: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', autoFirstPage: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (let k = 1; k <= pages; k++) doc.addPage().text(`${label} page ${k}/${pages}`);
    doc.end();
  });
}

const pageCount = async (pdf: Buffer) => (await PdfLib.load(pdf)).getPageCount();

/** A letter in the print queue with its PDF stored and linked as the letter channel does it. */
async function queuedLetter(t: TestDb, orgId: string, customerId: string, label: string, pdf: Buffer | null) {
  return withOrg(t.db, orgId, async (trx) => {
    const { delivery } = await createDelivery(trx, orgId, {
      customerId,
      channel: 'letter',
      provider: 'print',
      idempotencyKey: `batch-${label}:letter`,
      toAddress: `${label}, 1 rue de la Poste, 75001 PARIS`,
    });
    const doc = pdf
      ? await uploadDocument(trx, orgId, {
          kind: 'letter',
          customerId,
          filename: `${label}.pdf`,
          mimeType: 'application/pdf',
          content: pdf,
        })
      : null;
    await recordSendResult(
      trx,
      orgId,
      delivery.id,
      {
        status: 'queued_for_print',
        provider: 'print',
        providerMessageId: `print:${label}`,
        acceptedAt: new Date(),
      },
      doc ? { id: doc.id, sha256: doc.sha256 } : { sha256: '0'.repeat(64) },
    );
    return delivery.id;
  });
}

describeEngines('printing several queued letters as one PDF', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let b: OrgFixture;
  let viewer: { authorization: string };
  const labels = ['Lettre Alpha', 'Lettre Bravo', 'Lettre Charlie'];
  const parts: Buffer[] = [];
  const ids: string[] = [];
  let withoutPdf: string;
  let otherOrgs: string;
  let smsId: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Imprimerie SA');
    b = await orgWithKey(t.db, 'Autre SA');
    viewer = { authorization: `Bearer ${await keyFor(t.db, a.org.id, 'viewer')}` };
    const cs = await makeCustomers(t.db, a.org.id, 3);
    const [other] = await makeCustomers(t.db, b.org.id, 1);
    for (const [i, label] of labels.entries()) {
      const pdf = await letterPdf(label, [1, 2, 1][i] as number);
      parts.push(pdf);
      ids.push(await queuedLetter(t, a.org.id, cs[i]?.id as string, label, pdf));
    }
    withoutPdf = await queuedLetter(t, a.org.id, cs[0]?.id as string, 'Sans PDF', null);
    otherOrgs = await queuedLetter(t, b.org.id, other?.id as string, 'Lettre Autre', await letterPdf('X', 1));
    smsId = await withOrg(t.db, a.org.id, async (trx) => {
      const { delivery } = await createDelivery(trx, a.org.id, {
        customerId: cs[0]?.id as string,
        channel: 'sms',
        provider: 'log',
        idempotencyKey: 'batch-sms',
        toAddress: '+33600000000',
      });
      return delivery.id;
    });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const batch = (list: string[], headers = viewer) =>
    app.inject({ method: 'GET', url: `/api/v1/letters/batch.pdf?ids=${list.join(',')}`, headers });
  const statuses = async () =>
    withOrg(t.db, a.org.id, (trx) =>
      trx
        .selectFrom('message_deliveries')
        .select(['id', 'status', 'status_at'])
        .where('org_id', '=', a.org.id)
        .orderBy('id')
        .execute(),
    );

  it('merges the letters in the order asked, each starting on an odd page, without changing a status', async () => {
    const before = await statuses();
    const order = [ids[0], ids[1], ids[2]] as string[];
    const res = await batch(order);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('inline; filename="courriers-3.pdf"');
    const merged = res.rawPayload;

    // Expected from the parts: every letter but the last padded to an even page count.
    const counts = await Promise.all(parts.map(pageCount));
    const expected = counts.reduce((n, c, i) => n + c + (i < counts.length - 1 && c % 2 === 1 ? 1 : 0), 0);
    expect(counts).toEqual([1, 2, 1]);
    expect(await pageCount(merged)).toBe(expected);

    // Each letter's first page is odd (1-based) and its text comes back in order.
    const { items } = await readPdf(merged);
    const firstPageOf = (label: string) =>
      items.find((it) => plain(it.str).startsWith(`${label} page 1/`))?.page;
    const starts = labels.map(firstPageOf);
    expect(starts).toEqual([1, 3, 5]);
    for (const s of starts) expect((s as number) % 2).toBe(1);
    expect(items.filter((it) => it.page === 2)).toEqual([]);
    expect(items.map((it) => plain(it.str))).toEqual([
      'Lettre Alpha page 1/1',
      'Lettre Bravo page 1/2',
      'Lettre Bravo page 2/2',
      'Lettre Charlie page 1/1',
    ]);

    // Another order gives another document: the order asked is the order printed.
    const reversed = await batch([ids[2], ids[0]] as string[]);
    const back = await readPdf(reversed.rawPayload);
    expect(back.items.map((it) => plain(it.str))).toEqual([
      'Lettre Charlie page 1/1',
      'Lettre Alpha page 1/1',
    ]);
    expect(await pageCount(reversed.rawPayload)).toBe(3);

    expect(await statuses()).toEqual(before);
  });

  it('refuses the whole batch naming an unknown, foreign, non-letter or PDF-less id', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    for (const wrong of [unknown, otherOrgs, smsId]) {
      const res = await batch([ids[0] as string, wrong]);
      expect(res.statusCode, wrong).toBe(404);
      expect(res.json().detail).toContain(wrong);
    }
    const noPdf = await batch([withoutPdf, ids[0] as string]);
    expect(noPdf.statusCode).toBe(404);
    expect(noPdf.json().detail).toContain(withoutPdf);
    // The other organisation's key does not see this organisation's letters either.
    const foreign = await batch([ids[0] as string], b.auth);
    expect(foreign.statusCode).toBe(404);
  });

  it('refuses duplicates, too many ids and ids that are not uuids with a 400', async () => {
    const dup = await batch([ids[0], ids[1], ids[0]] as string[]);
    expect(dup.statusCode).toBe(400);
    expect(JSON.stringify(dup.json())).toContain(ids[0]);
    const many = Array.from(
      { length: 101 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect((await batch(many)).statusCode).toBe(400);
    expect((await batch(['not-a-uuid'])).statusCode).toBe(400);
    expect((await batch([])).statusCode).toBe(400);
  });

  it('does not shadow the single letter PDF and is in the OpenAPI document', async () => {
    const one = await app.inject({ method: 'GET', url: `/api/v1/letters/${ids[1]}.pdf`, headers: viewer });
    expect(one.statusCode).toBe(200);
    expect(one.rawPayload.equals(parts[1] as Buffer)).toBe(true);
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, { get?: { summary?: string } }>;
    };
    const path = Object.keys(spec.paths).find((p) => p.endsWith('/letters/batch.pdf'));
    expect(path).toBeDefined();
    expect(spec.paths[path as string]?.get?.summary).toContain('printing is not posting');
  });
});
