import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, NOW, orgWithKey, testServer } from '../api/factories.js';

const BASE = 'https://pay.example.com';

describeEngines('the portal offers "Payer en ligne" only with a payment provider (issue 13)', (engine) => {
  let t: TestDb;
  let without: FastifyInstance;
  let withProvider: FastifyInstance;
  let token: string;
  beforeAll(async () => {
    t = await createTestDb(engine);
    without = await testServer(t);
    withProvider = await testServer(t, NOW, { RELANCE_PAYMENT_TEST_SECRET: 'online-payment-test-secret' });
    const { org } = await orgWithKey(t.db, 'Paiement En Ligne SAS');
    const [c] = await makeCustomers(t.db, org.id, 1);
    if (!c) throw new Error('no customer');
    await makeInvoices(t.db, org.id, [c.id], 1, () => ({ issue_date: '2026-01-01', due_date: '2026-02-01' }));
    const { url } = await withOrg(t.db, org.id, (trx) =>
      createPortalLink(trx, org.id, { customerId: c.id }, { baseUrl: BASE, now: NOW }),
    );
    token = url.slice(`${BASE}/portal/`.length);
  });
  afterAll(async () => {
    await without?.close();
    await withProvider?.close();
    await t?.drop();
  });

  it('says so in the summary the portal page reads', async () => {
    const a = await without.inject({ method: 'GET', url: `/portal-api/${token}/summary` });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({ onlinePayment: false });
    const b = await withProvider.inject({ method: 'GET', url: `/portal-api/${token}/summary` });
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json()).toMatchObject({ onlinePayment: true });
  });
});
