import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { plain, readPdf } from '../../unit/channels/pdf-text.js';
import { type CaseFixture, seedCase } from '../law/case-fixture.js';
import { bearer, keyFor, orgWithKey, testServer } from './factories.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describeEngines('law API: penalties, formal notice, escalation file, limitation', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let c: CaseFixture;
  let admin: { authorization: string };
  let collector: { authorization: string };
  let viewer: { authorization: string };
  let stranger: { authorization: string };

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    c = await seedCase(t.db);
    admin = bearer(await keyFor(t.db, c.orgId, 'admin'));
    collector = bearer(await keyFor(t.db, c.orgId, 'collector'));
    viewer = bearer(await keyFor(t.db, c.orgId, 'viewer'));
    stranger = (await orgWithKey(t.db, 'Autre SAS')).auth;
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  const ex2 = {
    jurisdiction: 'FR',
    kind: 'b2b',
    amount: '10000.00',
    dueDate: '2025-03-31',
    until: '2025-09-30',
    payments: [{ date: '2025-06-15', amount: '4 000,00' }],
  };

  it('computes a statement line by line, as the CLI does (worked example EX2)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/penalties/compute',
      headers: viewer,
      payload: ex2,
    });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.totals.totalDue).toEqual({ amount: 653_985, currency: 'EUR' });
    expect(s.lines.map((l: { from: string; to: string }) => [l.from, l.to])).toEqual([
      ['2025-04-01', '2025-06-15'],
      ['2025-06-16', '2025-06-30'],
      ['2025-07-01', '2025-09-30'],
    ]);
    expect(s.payments[0].toInterest).toEqual({ amount: 27_381, currency: 'EUR' });
  });

  it('answers problem+json naming the bad field or the missing rate period', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/penalties/compute',
      headers: admin,
      payload: { ...ex2, payments: [{ date: '2025-06-15', amount: 'quatre mille' }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0]).toMatchObject({ field: 'payments[0].amount', value: 'quatre mille' });

    const date = await app.inject({
      method: 'POST',
      url: '/api/v1/penalties/compute',
      headers: admin,
      payload: { ...ex2, dueDate: '2025-02-30' },
    });
    expect(date.statusCode).toBe(400);
    expect(date.json().errors[0].field).toBe('dueDate');

    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/penalties/compute',
      headers: admin,
      payload: { jurisdiction: 'FR', dueDate: '2025-03-31' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain('amount');

    // The built-in ECB series is known through mid-2026: 2027-H1 has no rate yet.
    const noRate = await app.inject({
      method: 'POST',
      url: '/api/v1/penalties/compute',
      headers: admin,
      payload: { ...ex2, payments: [], until: '2027-02-15' },
    });
    expect(noRate.statusCode).toBe(422);
    expect(noRate.json()).toMatchObject({ code: 'LAW_NO_RATE', series: 'ECB_MRO', period: '2027-H1' });
  });

  it("gives an invoice's statement from the ledger", async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/invoices/${c.invoiceIds.f1}/penalties?until=2025-09-30`,
      headers: viewer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().totals.totalDue).toEqual({ amount: 653_985, currency: 'EUR' });
    const other = await app.inject({
      method: 'GET',
      url: `/api/v1/invoices/${c.invoiceIds.f1}/penalties?until=2025-09-30`,
      headers: stranger,
    });
    expect(other.statusCode).toBe(404);
  });

  it('downloads the mise en demeure PDF with its hash, for collectors only', async () => {
    const url = `/api/v1/customers/${c.customerId}/formal-notice.pdf?date=2025-09-30`;
    const res = await app.inject({ method: 'GET', url, headers: collector });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain('mise-en-demeure-CLI042-2025-09-30.pdf');
    expect(res.headers['x-content-sha256']).toBe(sha(res.rawPayload));
    const text = plain((await readPdf(res.rawPayload)).text.join('\n'));
    expect(text).toContain('MISE EN DEMEURE DE PAYER');
    expect(text).toContain('7 816,60 €');
    expect((await app.inject({ method: 'GET', url, headers: viewer })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url, headers: stranger })).statusCode).toBe(404);
    const early = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${c.customerId}/formal-notice.pdf?date=2025-03-01`,
      headers: collector,
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('UNPROCESSABLE');
  });

  it('downloads the escalation file as ZIP and PDF, and its estimate', async () => {
    const zip = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${c.customerId}/escalation-file.zip?date=2025-09-30`,
      headers: admin,
    });
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    const manifest = JSON.parse(strFromU8(files['manifest.json'] as Uint8Array));
    for (const f of manifest.files) expect(sha(files[f.path] as Uint8Array)).toBe(f.sha256);

    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${c.customerId}/escalation-file.pdf?date=2025-09-30`,
      headers: admin,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const dossier = manifest.files.find(
      (f: { path: string }) => f.path.endsWith('.pdf') && !f.path.startsWith('pieces/'),
    );
    expect(sha(pdf.rawPayload)).toBe(dossier.sha256);

    const est = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${c.customerId}/escalation-estimate?date=2025-09-30`,
      headers: viewer,
    });
    expect(est.statusCode).toBe(200);
    expect(est.json()).toMatchObject({
      claim: { total: { amount: 781_660, currency: 'EUR' } },
      court: { court: 'tribunal_de_commerce', department: '69', injonctionForm: 'Cerfa n° 12946' },
      smallClaims: { eligible: false },
      settingsSource: 'defaults',
    });
  });

  it('lists receivables near or past their limitation deadline, part payments restarting the period', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/limitation/warnings?date=2030-04-01',
      headers: viewer,
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as {
      invoiceNumber: string;
      deadline: string;
      threshold: number | null;
      state: string;
    }[];
    // F-2025-001 started 2025-03-01 but its 4 000 € payment of 2025-06-15 restarted the 5 years.
    expect(items.map((i) => [i.invoiceNumber, i.deadline, i.state, i.threshold])).toEqual([
      ['F-2025-002', '2030-05-31', 'warning', 90],
      ['F-2025-003', '2030-06-01', 'warning', 90],
      ['F-2025-001', '2030-06-15', 'warning', 90],
    ]);
    const later = await app.inject({
      method: 'GET',
      url: '/api/v1/limitation/warnings?date=2030-06-10&includeLapsed=false',
      headers: viewer,
    });
    expect(later.json().items).toMatchObject([{ invoiceNumber: 'F-2025-001', daysLeft: 5, threshold: 7 }]);
    const none = await app.inject({
      method: 'GET',
      url: '/api/v1/limitation/warnings?date=2030-04-01',
      headers: stranger,
    });
    expect(none.json().items).toEqual([]);
  });

  it('documents the law routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of [
      '/api/v1/penalties/compute',
      '/api/v1/invoices/{id}/penalties',
      '/api/v1/customers/{id}/formal-notice.pdf',
      '/api/v1/customers/{id}/escalation-file.zip',
      '/api/v1/customers/{id}/escalation-file.pdf',
      '/api/v1/customers/{id}/escalation-estimate',
      '/api/v1/limitation/warnings',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'PenaltyStatement',
        'PenaltyRequest',
        'EscalationEstimate',
        'LimitationWarning',
      ]),
    );
  });
});
