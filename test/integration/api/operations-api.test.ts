import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { createDelivery, recordSendResult } from '../../../src/db/queries/deliveries.js';
import { uploadDocument } from '../../../src/services/documents/upload-document.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { keyFor, makeCustomers, makeInvoices, type OrgFixture, orgWithKey, testServer } from './factories.js';

interface LetterPage {
  items: { id: string; customerName: string; status: string; trackingNumber: string | null }[];
  nextCursor: string | null;
  total: number;
}

describeEngines('print queue pages, tracking numbers and the policy in force over HTTP', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let viewer: { authorization: string };
  let customerIds: string[] = [];
  const letterIds: string[] = [];

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Courriers SA');
    viewer = { authorization: `Bearer ${await keyFor(t.db, a.org.id, 'viewer')}` };
    const cs = await makeCustomers(t.db, a.org.id, 3, (i) => ({
      address_line1: `${i + 1} rue de la Poste`,
      postal_code: '75001',
      city: 'Paris',
    }));
    customerIds = cs.map((c) => c.id);
    // Customer 0 owes 1 500,00 €, customer 1 owes 200,00 €, customer 2 nothing.
    await makeInvoices(t.db, a.org.id, customerIds.slice(0, 2), 2, (i) => ({
      gross_minor: i === 0 ? 150_000 : 20_000,
    }));
    // Three letters rendered with no postal provider: the print queue.
    for (const [i, customerId] of customerIds.entries()) {
      const id = await withOrg(t.db, a.org.id, async (trx) => {
        const { delivery } = await createDelivery(trx, a.org.id, {
          customerId,
          channel: 'letter',
          provider: 'print',
          idempotencyKey: `ops-${i}:letter`,
          toAddress: `Client ${i}, ${i + 1} rue de la Poste, 75001 PARIS`,
        });
        await recordSendResult(
          trx,
          a.org.id,
          delivery.id,
          {
            status: 'queued_for_print',
            provider: 'print',
            providerMessageId: `print:${String(i).repeat(64)}`,
            acceptedAt: new Date(),
          },
          { sha256: String(i).repeat(64) },
        );
        return delivery.id;
      });
      letterIds.push(id);
    }
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const get = async (url: string, headers = viewer) => app.inject({ method: 'GET', url, headers });

  describe('print queue', () => {
    it('pages the queue oldest first with a cursor and counts all pages', async () => {
      const first = (await get('/api/v1/letters?status=to_print&limit=2')).json() as LetterPage;
      expect(first.total).toBe(3);
      expect(first.items.map((l) => l.id)).toEqual(letterIds.slice(0, 2));
      expect(first.nextCursor).not.toBeNull();
      const second = (
        await get(`/api/v1/letters?status=to_print&limit=2&cursor=${first.nextCursor}`)
      ).json() as LetterPage;
      expect(second.items.map((l) => l.id)).toEqual(letterIds.slice(2));
      expect(second.nextCursor).toBeNull();
      expect(second.total).toBe(3);
      const bad = await get('/api/v1/letters?status=to_print&cursor=not-a-cursor');
      expect(bad.statusCode).toBe(400);
    });

    it('refuses a tracking number that is not a La Poste registered-letter number, naming the field', async () => {
      const post = (id: string, trackingNumber: string) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/letters/${id}/posted`,
          headers: a.auth,
          payload: { trackingNumber, postedOn: '2026-03-16' },
        });
      for (const wrong of ['1A 012 345', 'ABC-DEF-GHI', 'RR 123 456 784 FR']) {
        const res = await post(letterIds[0] as string, wrong);
        expect(res.statusCode, wrong).toBe(400);
        expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['trackingNumber']);
      }
      const intl = await post(letterIds[0] as string, 'rr 123 456 785 fr');
      expect(intl.statusCode).toBe(200);
      expect(intl.json()).toMatchObject({ status: 'posted', trackingNumber: 'RR123456785FR' });
      const domestic = await post(letterIds[1] as string, '1A-012-345-678-90');
      expect(domestic.json()).toMatchObject({ trackingNumber: '1A01234567890' });

      const posted = (await get('/api/v1/letters?status=posted')).json() as LetterPage;
      expect(posted.items.map((l) => l.id)).toEqual(letterIds.slice(0, 2));
      expect(((await get('/api/v1/letters?status=to_print')).json() as LetterPage).total).toBe(1);
    });
    it('records the receipt with a scan of the signed card of the same customer only', async () => {
      const scan = (customerId: string) =>
        withOrg(t.db, a.org.id, (trx) =>
          uploadDocument(trx, a.org.id, {
            kind: 'proof_of_delivery',
            customerId,
            filename: 'ar.pdf',
            mimeType: 'application/pdf',
            content: Buffer.from(`%PDF-1.4 avis de réception ${customerId}`),
          }),
        );
      const mine = await scan(customerIds[0] as string);
      const other = await scan(customerIds[1] as string);
      const receipt = (scanDocumentId: string) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/letters/${letterIds[0]}/receipt`,
          headers: a.auth,
          payload: { receivedOn: '2026-03-18', scanDocumentId },
        });
      const wrong = await receipt(other.id);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors.map((e: { field: string }) => e.field)).toEqual(['scanDocumentId']);
      const ok = await receipt(mine.id);
      expect(ok.json()).toMatchObject({ status: 'delivered', receivedOn: '2026-03-18' });
      const timeline = (await get(`/api/v1/customers/${customerIds[0]}/timeline`)).json() as {
        intact: boolean;
        entries: { summary: string; contentSha256: string | null; payload: Record<string, unknown> }[];
      };
      const entry = timeline.entries.find((e) => e.summary.startsWith('Acknowledgement of receipt'));
      expect(entry?.payload.scanDocumentId).toBe(mine.id);
      expect(entry?.contentSha256).toBe(mine.sha256);
      expect(timeline.intact).toBe(true);
    });
  });

  describe('policy in force', () => {
    const explain = async (customerId: string) =>
      (await get(`/api/v1/customers/${customerId}/dunning-policy`)).json() as {
        policyKey: string | null;
        policyVersion: number | null;
        source: string;
        ruleIndex: number | null;
        reason: string;
        overrideKey: string | null;
        exposureMinor: number;
      };

    it('explains the default rules, then a new rule, then an override and its removal', async () => {
      const [big, small] = customerIds as [string, string];
      expect(await explain(big)).toMatchObject({
        policyKey: 'FR-B2B-standard',
        policyVersion: 1,
        source: 'rule',
        ruleIndex: 2,
        reason: 'rule 3 (businesses) selects FR-B2B-standard',
        overrideKey: null,
        exposureMinor: 150_000,
      });
      await t.db
        .updateTable('customers')
        .set({ segment: 'strategic' })
        .where('org_id', '=', a.org.id)
        .where('id', '=', small)
        .execute();
      expect(await explain(small)).toMatchObject({ policyKey: 'FR-conciliatory', ruleIndex: 0 });

      const put = await app.inject({
        method: 'PUT',
        url: '/api/v1/dunning/policy-rules',
        headers: a.auth,
        payload: {
          rules: [
            { policyKey: 'FR-conciliatory', label: 'over 1 000 €', when: { minExposureMinor: 100_000 } },
            { policyKey: 'FR-B2B-standard', when: {} },
          ],
        },
      });
      expect(put.statusCode).toBe(200);
      expect(await explain(big)).toMatchObject({
        policyKey: 'FR-conciliatory',
        source: 'rule',
        ruleIndex: 0,
        reason: 'rule 1 (over 1 000 €) selects FR-conciliatory',
      });
      expect(await explain(small)).toMatchObject({ policyKey: 'FR-B2B-standard', ruleIndex: 1 });

      const set = (policyKey: string | null) =>
        app.inject({
          method: 'PUT',
          url: `/api/v1/customers/${small}/dunning-policy`,
          headers: a.auth,
          payload: { policyKey },
        });
      expect((await set('FR-B2C-standard')).statusCode).toBe(204);
      expect(await explain(small)).toMatchObject({
        policyKey: 'FR-B2C-standard',
        source: 'override',
        ruleIndex: null,
        overrideKey: 'FR-B2C-standard',
      });
      expect((await set(null)).statusCode).toBe(204);
      expect(await explain(small)).toMatchObject({ policyKey: 'FR-B2B-standard', source: 'rule' });

      const noMatch = await app.inject({
        method: 'PUT',
        url: '/api/v1/dunning/policy-rules',
        headers: a.auth,
        payload: { rules: [{ policyKey: 'FR-B2C-standard', when: { customerKinds: ['b2c'] } }] },
      });
      expect(noMatch.statusCode).toBe(200);
      expect(await explain(big)).toMatchObject({ policyKey: null, source: 'none', policyVersion: null });
      expect((await get(`/api/v1/customers/${a.org.id}/dunning-policy`)).statusCode).toBe(404);
    });
  });
});
