import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { importSireneStock } from '../../../src/services/solvency/import-sirene.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { readPdf } from '../../unit/channels/pdf-text.js';
import { makeCustomers, makeInvoices, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';
import { repoRoot } from '../cli/spawn.js';

const FIXTURES = join(repoRoot, 'test/fixtures/solvency');
const SIRENE = join(repoRoot, '../shared/data/sirene');
const NOW = new Date('2026-03-20T10:00:00Z');

function multipart(name: string, content: Buffer) {
  const boundary = `----solv${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/json\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeEngines('solvency API: SIRENE, BODACC, credit limits and the declaration', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let vauban: string;
  let sirene: Server;
  const sireneCalls: { url: string; key: string | undefined }[] = [];

  beforeAll(async () => {
    t = await createTestDb(engine);
    a = await orgWithKey(t.db, 'Créancier SAS');
    // A loopback double of the INSEE API Sirene 3.11.
    sirene = createServer((req, res) => {
      sireneCalls.push({
        url: req.url ?? '',
        key: req.headers['x-insee-api-key-integration'] as string | undefined,
      });
      if (req.headers['x-insee-api-key-integration'] !== 'test-key') {
        res.writeHead(401).end('{"fault":"invalid key"}');
        return;
      }
      if (req.url === '/api-sirene/3.11/siren/732829320') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(readFileSync(join(FIXTURES, 'sirene-api-siren.json')));
        return;
      }
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"header":{"statut":404,"message":"Aucun élément trouvé"}}');
    });
    await new Promise<void>((r) => sirene.listen(0, '127.0.0.1', r));
    const port = (sirene.address() as AddressInfo).port;
    await t.db
      .updateTable('organisations')
      .set({
        city: 'Paris',
        postal_code: '75002',
        settings: JSON.stringify({
          solvency: { sireneApiKey: 'test-key', sireneApiUrl: `http://127.0.0.1:${port}/api-sirene/3.11` },
        }),
      })
      .where('id', '=', a.org.id)
      .execute();
    app = await testServer(t, NOW);
    const cs = await makeCustomers(
      t.db,
      a.org.id,
      3,
      (i) =>
        [
          { name: 'Atelier Vauban SAS', siren: '732829320' },
          { name: 'Janoyer', siren: '000325175' },
          { name: 'Breton', siren: '001807254' },
        ][i] ?? {},
    );
    vauban = cs[0]?.id as string;
    await makeInvoices(
      t.db,
      a.org.id,
      [vauban],
      2,
      (i) =>
        [
          { invoice_number: 'F-1', issue_date: '2026-01-05', due_date: '2026-02-04', gross_minor: 80_000 },
          { invoice_number: 'F-2', issue_date: '2026-02-27', due_date: '2026-03-29', gross_minor: 5_000 },
        ][i] ?? {},
    );
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((r) => sirene?.close(r));
    await t?.drop();
  });
  const get = (url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: a.auth });

  it('checks a new company through the SIRENE API double: young company → prepayment, reasons given', async () => {
    const res = await get('/credit-check?siren=732%20829%20320');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(sireneCalls[0]).toEqual({ url: '/api-sirene/3.11/siren/732829320', key: 'test-key' });
    expect(body.identitySource).toBe('sirene_api');
    expect(body.identity).toMatchObject({
      legalName: 'ATELIER VAUBAN',
      status: 'A',
      legalForm: '5710',
      nafCode: '25.62B',
    });
    expect(body.suggestion.terms).toBe('prepayment');
    // Band 12 (20-49) → 25 000 €, halved for a company younger than a year, rounded down
    // to the thousand: 12 000 €.
    expect(body.suggestion.limitMinor).toBe(1_200_000);
    const codes = body.suggestion.reasons.map((r: { code: string }) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['size', 'young']));
    const bad = await get('/credit-check?siren=732829321');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({
      field: 'siren',
      reason: 'the SIREN check digit is wrong (Luhn key)',
    });
  });

  it('imports the SIRENE stock samples, raises a task for the ceased company, reports the bad date', async () => {
    if (!existsSync(SIRENE)) {
      if (process.env.CI) throw new Error(`${SIRENE} is missing`);
      console.warn(`[solvency test] ${SIRENE} absent: skipped`);
      return;
    }
    const r = await importSireneStock(t.db, a.org.id, join(SIRENE, 'mrique_StockUniteLegale_utf8.csv'), {
      now: NOW,
    });
    expect(r).toMatchObject({ kind: 'unites_legales', rows: 4, identities: 2 });
    expect(r.problems).toEqual([
      { line: 3, field: 'dateDebut', reason: 'not a date: left empty', value: '2014-12-35' },
    ]);
    expect(r.ceasedTasks).toHaveLength(1);
    const again = await importSireneStock(
      t.db,
      a.org.id,
      join(SIRENE, 'etalab_sample_unites_legales_OK.csv'),
      { now: NOW },
    );
    expect(again.ceasedTasks).toEqual([]); // one open task is enough
    await expect(
      importSireneStock(t.db, a.org.id, join(SIRENE, 'etalab_sample_etablissements_KO_missing_header.csv'), {
        now: NOW,
      }),
    ).rejects.toThrow(/header lacks the column "nic"/);
  });

  it('alerts at 80 % and proposes a credit hold above the limit', async () => {
    const put = (body: object) =>
      app.inject({
        method: 'PUT',
        url: `/api/v1/customers/${vauban}/credit`,
        headers: a.auth,
        payload: body,
      });
    const r80 = await put({ creditLimitMinor: 100_000 });
    expect(r80.statusCode, r80.body).toBe(200);
    expect(r80.json().position).toMatchObject({
      exposureMinor: 85_000,
      usedPercent: 85,
      alert: 'warning',
      holdProposed: false,
    });
    expect(r80.json().taskId).not.toBeNull();
    const over = await put({ pendingOrdersMinor: 20_000 });
    expect(over.json().position).toMatchObject({
      exposureMinor: 105_000,
      alert: 'over_limit',
      holdProposed: true,
    });
    const tasks = await withOrg(t.db, a.org.id, (trx) =>
      trx
        .selectFrom('tasks')
        .select(['title'])
        .where('customer_id', '=', vauban)
        .orderBy('created_at')
        .execute(),
    );
    expect(tasks.map((x) => x.title)).toEqual([
      'Encours à 85 % de la limite de crédit',
      'Encours au-delà de la limite de crédit (105 %) : blocage du crédit proposé',
    ]);
    expect((await put({ creditLimitMinor: -1 })).statusCode).toBe(400);
  });

  it('imports a BODACC file through the API, shows the banner, and serves the declaration PDF', async () => {
    const up = multipart('bodacc.json', readFileSync(join(FIXTURES, 'bodacc-dila-export.json')));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/bodacc/imports',
      headers: { ...a.auth, ...up.headers },
      payload: up.payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ records: 3, notices: 2, matched: 1 });
    const panel = (await get(`/customers/${vauban}/solvency`)).json();
    expect(panel.banner).toMatchObject({
      label: 'Ouverture d’un redressement judiciaire',
      judgmentDate: '2026-02-25',
      declarationDeadline: '2026-05-04',
      preJudgment: { count: 1, balanceMinor: 80_000 },
      postJudgment: { count: 1, balanceMinor: 5_000 },
    });
    expect(panel.identity.legalName).toBe('ATELIER VAUBAN');
    const dec = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${vauban}/claim-declaration`,
      headers: a.auth,
      payload: { signatory: 'Jeanne Dupont', reservationOfTitle: true },
    });
    expect(dec.statusCode, dec.body).toBe(201);
    expect(dec.json()).toMatchObject({ echuMinor: 80_000, aEchoirMinor: 0 });
    const pdf = await get(`/documents/${dec.json().documentId}/content`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = (await readPdf(pdf.rawPayload)).text.join('\n').replace(/\u202f|\u00a0/g, ' ');
    expect(text).toMatch(/Total échu.*800,00 €/);
    expect(text).toContain('clause de réserve de propriété');
    const after = (await get(`/customers/${vauban}/solvency`)).json();
    expect(after.declarations).toHaveLength(1);
  });
});
