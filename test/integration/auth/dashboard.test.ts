import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import type { Database } from '../../../src/db/schema/index.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { keyFor, makeCustomers, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';

async function pay(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  invoiceId: string,
  amount: number,
  on: string,
) {
  const p = await db
    .insertInto('payments')
    .values({
      org_id: orgId,
      customer_id: customerId,
      payment_reference: `P-${invoiceId}-${on}`,
      received_on: on,
      currency: 'EUR',
      amount_minor: amount,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('allocations')
    .values({ org_id: orgId, invoice_id: invoiceId, payment_id: p.id, amount_minor: amount })
    .execute();
}

interface Money {
  amount: number;
  currency: string;
}

describeEngines('dashboard figures on a hand-computed ledger (today 2026-03-15)', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let ids: Record<'c1' | 'c2' | 'c3', string>;

  beforeAll(async () => {
    t = await createTestDb(engine);
    app = await testServer(t);
    a = await orgWithKey(t.db, 'Kpi SAS');
    const [c1, c2, c3] = await makeCustomers(t.db, a.org.id, 3, (i) => ({
      name: ['Alpha', 'Bravo', 'Charlie'][i] as string,
    }));
    if (!c1 || !c2 || !c3) throw new Error('customers not created');
    ids = { c1: c1.id, c2: c2.id, c3: c3.id };
    const inv = (
      n: string,
      customer: string,
      gross: number,
      issue: string,
      due: string,
      currency = 'EUR',
    ) => ({
      org_id: a.org.id,
      customer_id: customer,
      invoice_number: n,
      issue_date: issue,
      due_date: due,
      currency,
      gross_minor: gross,
    });
    const rows = await t.db
      .insertInto('invoices')
      .values([
        inv('I1', c1.id, 100_000, '2026-03-01', '2026-03-31'), // not due
        inv('I2', c1.id, 60_000, '2026-02-01', '2026-03-03'), // 12 days late
        inv('I3', c2.id, 80_000, '2026-01-01', '2026-01-31'), // 43 days late, 30 000 paid
        inv('I4', c3.id, 20_000, '2025-11-01', '2025-12-01'), // 104 days late
        inv('I5', c2.id, 40_000, '2025-12-01', '2025-12-31'), // paid in February
        inv('I6', c3.id, 10_000, '2026-03-01', '2026-03-05', 'GBP'), // 10 days late
      ])
      .returning(['id', 'invoice_number'])
      .execute();
    const id = (n: string) => rows.find((r) => r.invoice_number === n)?.id as string;
    await pay(t.db, a.org.id, c2.id, id('I3'), 30_000, '2026-03-01');
    await pay(t.db, a.org.id, c2.id, id('I5'), 40_000, '2026-02-10');
    await refreshBalances(t.db, a.org.id, { all: true });
  });
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it('computes receivables, overdue share, aging, collections, count-back DSO and top debtors in EUR', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: a.auth });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.asOf).toBe('2026-03-15');
    expect(body.currencies.map((c: { currency: string }) => c.currency)).toEqual(['EUR', 'GBP']);
    const eur = body.currencies[0];
    const amt = (m: Money) => m.amount;
    expect(amt(eur.receivables)).toBe(230_000);
    expect(amt(eur.overdue)).toBe(130_000);
    expect(eur.overdueSharePercent).toBe(56.5);
    expect(eur.openInvoices).toBe(4);
    expect(eur.overdueInvoices).toBe(3);
    expect(Object.fromEntries(Object.entries(eur.aging).map(([k, v]) => [k, amt(v as Money)]))).toEqual({
      notDue: 100_000,
      d1_30: 60_000,
      d31_60: 50_000,
      d61_90: 0,
      d90plus: 20_000,
    });
    expect(amt(eur.collectedThisMonth)).toBe(30_000);
    expect(amt(eur.collectedLastMonth)).toBe(40_000);
    // March 1–15 (100 000, 15 days) + February (60 000, 28 days) + 70 000 / 80 000 of January's 31 days.
    expect(eur.dso).toEqual({ days: 70.1, complete: true });
    expect(
      eur.topOverdueCustomers.map((c: { customerId: string; overdue: Money; maxDaysLate: number }) => [
        c.customerId,
        c.overdue.amount,
        c.maxDaysLate,
      ]),
    ).toEqual([
      [ids.c1, 60_000, 12],
      [ids.c2, 50_000, 43],
      [ids.c3, 20_000, 104],
    ]);
  });

  it('keeps other currencies apart and filters on one', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/dashboard?currency=gbp', headers: a.auth });
    const body = r.json();
    expect(body.currencies).toHaveLength(1);
    const gbp = body.currencies[0];
    expect(gbp.receivables).toMatchObject({ amount: 10_000, currency: 'GBP' });
    expect(gbp.overdueSharePercent).toBe(100);
    expect(gbp.dso).toEqual({ days: 15, complete: true });
    expect(gbp.topOverdueCustomers).toHaveLength(1);
  });

  it('lets a viewer read it and shows another organisation nothing of this one', async () => {
    const viewer = await keyFor(t.db, a.org.id, 'viewer');
    const v = await app.inject({
      method: 'GET',
      url: '/api/v1/dashboard',
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(v.statusCode).toBe(200);
    const b = await orgWithKey(t.db, 'Empty SAS');
    const other = await app.inject({ method: 'GET', url: '/api/v1/dashboard', headers: b.auth });
    expect(other.json().currencies).toEqual([]);
    const anon = await app.inject({ method: 'GET', url: '/api/v1/dashboard' });
    expect(anon.statusCode).toBe(401);
  });
});
