import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { customerScoreHistory, customersAtRisk } from '../../../src/db/queries/risk.js';
import { listWorklist } from '../../../src/db/queries/worklist.js';
import { rawPriority, recoveryProbability } from '../../../src/domain/prioritisation/index.js';
import { explainCustomerPolicy } from '../../../src/services/dunning/explain-customer-policy.js';
import { replaceRules } from '../../../src/services/dunning/policy-assignment.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { trainRiskModelForOrg } from '../../../src/services/scoring/train-risk-model.js';
import { seedSyntheticLedger } from '../../fixtures/scoring/seed-ledger.js';
import { syntheticPortfolio } from '../../fixtures/scoring/synthetic-ar.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const SLOW = 240_000;
const TODAY = '2025-10-01';

describeEngines('risk scores where decisions are made', (engine) => {
  let t: TestDb;
  let orgId: string;
  let ids: Awaited<ReturnType<typeof seedSyntheticLedger>>;
  const p = syntheticPortfolio({ seed: 21, customers: 40, invoices: 1000, from: '2024-01-01', days: 640 });

  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await createOrganisation(t.db, { name: 'Usages SA' })).id;
    ids = await withOrg(t.db, orgId, (trx) => seedSyntheticLedger(trx, orgId, p, TODAY));
    await trainRiskModelForOrg(t.db, orgId, { today: TODAY });
  }, SLOW);
  afterAll(async () => t.drop());

  it('the worklist recovery term comes from the model for scored invoices, and SQL agrees with the domain', async () => {
    const page = await withOrg(t.db, orgId, (trx) =>
      listWorklist(trx, orgId, { asOf: TODAY, kinds: ['item'] }, { limit: 500 }),
    );
    expect(page.items.length).toBeGreaterThan(5);
    let differs = 0;
    for (const r of page.items) {
      expect(r.model_recovery).not.toBeNull();
      const input = {
        amountOverdueMinor: Number(r.balance_minor),
        currency: r.currency ?? 'USD',
        daysLate: r.days_late,
        paidInvoices: r.paid_invoices,
        paidOnTime: r.paid_on_time,
        brokenPromises: r.broken_promises,
        strategic: r.strategic,
        revenueShare: r.revenue_share,
        modelRecovery: r.model_recovery,
      };
      expect(Math.abs(Number(r.score) - rawPriority(input))).toBeLessThan(1e-9);
      if (
        Math.abs(recoveryProbability(input) - recoveryProbability({ ...input, modelRecovery: null })) > 0.01
      )
        differs++;
    }
    expect(differs).toBeGreaterThan(0);
  });

  it('policy rules choose by the latest risk score', async () => {
    await withOrg(t.db, orgId, (trx) =>
      replaceRules(trx, orgId, [
        { policyKey: 'FR-B2B-standard', label: 'clients à risque', when: { minRiskScore: 50 } },
        { policyKey: 'FR-B2B-standard', label: 'les autres', when: {} },
      ]),
    );
    const atRisk = await withOrg(t.db, orgId, (trx) => customersAtRisk(trx, orgId, 100));
    const risky = atRisk.find((c) => c.score >= 50);
    const safe = atRisk.find((c) => c.score < 50);
    expect(risky && safe).toBeTruthy();
    const a = await withOrg(t.db, orgId, (trx) =>
      explainCustomerPolicy(trx, orgId, risky?.customerId as string),
    );
    const b = await withOrg(t.db, orgId, (trx) =>
      explainCustomerPolicy(trx, orgId, safe?.customerId as string),
    );
    expect(a.ruleIndex).toBe(0);
    expect(b.ruleIndex).toBe(1);
  });

  it('customers at risk come riskiest first, with their history and model version', async () => {
    const atRisk = await withOrg(t.db, orgId, (trx) => customersAtRisk(trx, orgId, 5));
    expect(atRisk).toHaveLength(5);
    expect(atRisk.map((c) => c.score)).toEqual([...atRisk.map((c) => c.score)].sort((x, y) => y - x));
    const habit = new Map(p.customers.map((c) => [c.id, c.habit]));
    expect(habit.get(atRisk[0]?.externalRef as string)).toBe('late');
    await trainRiskModelForOrg(t.db, orgId, { today: '2025-10-02' });
    const h = await withOrg(t.db, orgId, (trx) =>
      customerScoreHistory(trx, orgId, ids.customerIds.get(atRisk[0]?.externalRef as string) as string),
    );
    expect(h.map((x) => [x.scoredOn, x.modelVersion])).toEqual([
      ['2025-10-01', 1],
      ['2025-10-02', 2],
    ]);
  });
});
