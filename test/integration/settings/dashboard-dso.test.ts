import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { salesByMonth } from '../../../src/db/queries/kpi.js';
import { addMonths } from '../../../src/domain/calendar/index.js';
import { countBackDso, countBackPeriods } from '../../../src/domain/kpi/index.js';
import { DSO_MONTHS, getDashboard } from '../../../src/services/kpi/get-dashboard.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, orgWithKey, TODAY } from '../api/factories.js';

/** The reference: count-back over all DSO_MONTHS months read at once. */
async function referenceDso(t: TestDb, orgId: string) {
  const periods = countBackPeriods(TODAY, DSO_MONTHS);
  const oldest = periods[periods.length - 1]?.from ?? TODAY;
  // The dashboard first: it folds the rollup deltas the reference then reads.
  const dash = await withOrg(t.db, orgId, (trx) => getDashboard(trx, orgId, TODAY));
  const rows = await withOrg(t.db, orgId, (trx) => salesByMonth(trx, orgId, oldest, TODAY));
  const eur = dash.currencies.find((c) => c.currency === 'EUR');
  const monthly = new Map(rows.map((r) => [r.month, Number(r.sales)]));
  const expected = countBackDso(
    eur?.receivables ?? 0,
    periods.map((p) => ({ ...p, sales: monthly.get(p.from) ?? 0 })),
  );
  return { got: eur?.dso, expected };
}

describeEngines('dashboard DSO equals count-back over twelve months of sales read on their own', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('counts back beyond three months when the receivables need it', async () => {
    const { org } = await orgWithKey(t.db, 'Slow Payers SAS');
    const [c] = await makeCustomers(t.db, org.id, 1);
    if (!c) throw new Error('no customer');
    // One unpaid invoice a month for eight months: about 240 days outstanding.
    await makeInvoices(t.db, org.id, [c.id], 8, (i) => ({
      issue_date: addMonths('2025-08-01', i),
      due_date: addMonths('2025-09-01', i),
      gross_minor: 100_000,
    }));
    const { got, expected } = await referenceDso(t, org.id);
    expect(expected.days).toBeGreaterThan(120);
    expect(got).toEqual(expected);
  });

  it('reports a floor when even twelve months do not absorb the receivables', async () => {
    const { org } = await orgWithKey(t.db, 'Ancient Debts SAS');
    const [c] = await makeCustomers(t.db, org.id, 1);
    if (!c) throw new Error('no customer');
    await makeInvoices(t.db, org.id, [c.id], 1, () => ({
      issue_date: '2024-01-10',
      due_date: '2024-02-10',
      gross_minor: 500_000,
    }));
    const { got, expected } = await referenceDso(t, org.id);
    expect(expected.complete).toBe(false);
    expect(got).toEqual(expected);
  });
});
