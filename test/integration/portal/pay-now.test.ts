import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { parseEpcPayload } from '../../../src/domain/sepa/index.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, NOW, orgWithKey, testServer } from '../api/factories.js';

const IBAN = 'FR7630006000011234567890189';
const BASE = 'https://pay.example.com';

interface Summary {
  items: { invoiceId: string; invoiceNumber: string; disputed: boolean; daysLate: number }[];
  balances: { amount: number; currency: string }[];
  amounts: Record<'payNow' | 'notYetDue' | 'disputed', { amount: number; currency: string }[]>;
  transfer: { epcPayload: string; amount: { amount: number } | null } | null;
}

describeEngines("the portal's pay-now total", (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  it('asks for the overdue, undisputed amount; not-yet-due and disputed items are shown apart', async () => {
    const { org } = await orgWithKey(t.db, 'Payer Maintenant SAS');
    await t.db.updateTable('organisations').set({ iban: IBAN }).where('id', '=', org.id).execute();
    const [c] = await makeCustomers(t.db, org.id, 1);
    if (!c) throw new Error('no customer');
    // Due 2026-02-01 (overdue), 2026-02-10 (overdue, to be disputed), 2026-04-30 (not yet due on 15 March).
    const dues = ['2026-02-01', '2026-02-10', '2026-04-30'];
    const amounts = [12_000, 30_000, 50_000];
    const inv = await makeInvoices(t.db, org.id, [c.id], 3, (i) => ({
      issue_date: '2026-01-01',
      due_date: dues[i] as string,
      gross_minor: amounts[i] as number,
    }));
    const byDue = new Map(inv.map((i) => [i.due_date, i]));
    const { url } = await withOrg(t.db, org.id, (trx) =>
      createPortalLink(trx, org.id, { customerId: c.id }, { baseUrl: BASE, now: NOW }),
    );
    const token = url.slice(`${BASE}/portal/`.length);
    const disputedId = byDue.get('2026-02-10')?.id;
    const d = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/invoices/${disputedId}/dispute`,
      payload: { reasonCode: 'quality', comment: 'Livraison abîmée' },
    });
    expect(d.statusCode, d.body).toBeLessThan(300);

    const s = (await app.inject({ method: 'GET', url: `/portal-api/${token}/summary` })).json() as Summary;
    expect(s.balances).toEqual([expect.objectContaining({ amount: 92_000, currency: 'EUR' })]);
    expect(s.amounts.payNow).toEqual([expect.objectContaining({ amount: 12_000, currency: 'EUR' })]);
    expect(s.amounts.notYetDue).toEqual([expect.objectContaining({ amount: 50_000, currency: 'EUR' })]);
    expect(s.amounts.disputed).toEqual([expect.objectContaining({ amount: 30_000, currency: 'EUR' })]);
    // The transfer (and its QR code) pre-fills the pay-now amount, not the whole balance.
    expect(s.transfer?.amount).toEqual(expect.objectContaining({ amount: 12_000 }));
    expect(parseEpcPayload(s.transfer?.epcPayload ?? '').amount).toEqual({ amount: 12_000, currency: 'EUR' });
    expect(s.items.find((i) => i.invoiceId === disputedId)?.disputed).toBe(true);
  });

  it("states what a payment plan's total covers before acceptance: the principal, penalties and indemnities named apart", async () => {
    const { org } = await orgWithKey(t.db, 'Échéancier Clair SAS');
    const [c] = await makeCustomers(t.db, org.id, 1);
    if (!c) throw new Error('no customer');
    const inv = await makeInvoices(t.db, org.id, [c.id], 2, (i) => ({
      issue_date: '2025-12-01',
      due_date: ['2026-01-15', '2026-02-01'][i] as string,
      gross_minor: [60_000, 40_000][i] as number,
    }));
    const { url } = await withOrg(t.db, org.id, (trx) =>
      createPortalLink(trx, org.id, { customerId: c.id }, { baseUrl: BASE, now: NOW }),
    );
    const token = url.slice(`${BASE}/portal/`.length);
    const r = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/payment-plan`,
      payload: { instalments: 3, firstDate: '2026-03-20' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const plan = (
      r.json() as {
        plan: {
          totalMinor: number;
          covers: {
            basis: string;
            principalMinor: number;
            penaltiesNotIncludedMinor: number;
            indemnitiesNotIncludedMinor: number;
            asOf: string;
          } | null;
        };
      }
    ).plan;
    expect(plan.totalMinor).toBe(100_000);
    expect(plan.covers).toMatchObject({
      basis: 'principal',
      principalMinor: 100_000,
      indemnitiesNotIncludedMinor: 8_000, // 2 late invoices × 40 €
      asOf: '2026-03-15',
    });
    expect(plan.covers?.penaltiesNotIncludedMinor).toBeGreaterThan(0);
    expect(inv).toHaveLength(2);
    // The plans list (what the debtor reads before accepting) says the same.
    const list = (await app.inject({ method: 'GET', url: `/portal-api/${token}/payment-plans` })).json() as {
      plans: { covers: { principalMinor: number } | null }[];
    };
    expect(list.plans[0]?.covers?.principalMinor).toBe(100_000);
  });
});
