import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { seedSyntheticLedger } from '../../fixtures/scoring/seed-ledger.js';
import { syntheticPortfolio } from '../../fixtures/scoring/synthetic-ar.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { runCliInProcess } from '../cli/in-process.js';
import { tempDataDir } from '../cli/spawn.js';

const SLOW = 240_000;
const TODAY = '2025-10-01';

describeEngines('risk model through the CLI', (engine) => {
  let t: TestDb;
  let env: Record<string, string>;
  let orgId: string;
  const p = syntheticPortfolio({ seed: 11, customers: 60, invoices: 1600, from: '2024-01-01', days: 640 });

  beforeAll(async () => {
    if (engine === 'postgres') {
      t = await createTestDb('postgres');
      env = { DATABASE_URL: t.url ?? '', RELANCE_DEMO: 'false' };
    } else {
      const dataDir = tempDataDir();
      const { openDatabase } = await import('../../../src/db/connection.js');
      const { migrate } = await import('../../../src/db/migrate.js');
      const h = await openDatabase({ dataDir });
      await migrate(h);
      t = { ...h, drop: () => h.close() };
      env = { DATA_DIR: dataDir, RELANCE_DEMO: 'false' };
    }
    const org = await createOrganisation(t.db, { name: 'Risque SA' });
    orgId = org.id;
    await withOrg(t.db, orgId, (trx) => seedSyntheticLedger(trx, orgId, p, TODAY));
    // The embedded engine is one process at a time: the CLI opens it next.
    if (engine === 'pglite') await t.close();
  }, SLOW);

  afterAll(async () => {
    if (engine === 'postgres') await t.drop();
  });

  async function query<T>(sqlText: string): Promise<T[]> {
    if (engine === 'postgres') return (await t.executeSql(sqlText)).rows as T[];
    const { openDatabase } = await import('../../../src/db/connection.js');
    const h = await openDatabase({ dataDir: env.DATA_DIR as string });
    try {
      return (await h.executeSql(sqlText)).rows as T[];
    } finally {
      await h.close();
    }
  }

  it(
    'model evaluate prints every metric next to both baselines, and the model beats them',
    async () => {
      const text = await runCliInProcess(['model', 'evaluate', '--train-until', '2024-12-01'], env);
      expect(text.stderr).toBe('');
      expect(text.code).toBe(0);
      for (const label of [
        'AUC (late)',
        'accuracy',
        'precision',
        'recall',
        'Brier score',
        'MAE days to settle',
        'RMSE days to settle',
        'customer late rate',
        'paid on due date',
        'Calibration',
      ])
        expect(text.stdout).toContain(label);
      const json = await runCliInProcess(['model', 'evaluate', '--train-until', '2024-12-01', '--json'], env);
      const e = JSON.parse(json.stdout);
      expect(e.cutDate).toBe('2024-12-01');
      expect(e.modelKind).toBe('gbdt');
      expect(e.model.auc).toBeGreaterThan(e.baselineHistory.auc + 0.02);
      expect(e.model.rmse).toBeLessThan(e.baselineHistory.rmse);
      expect(e.model.rmse).toBeLessThan(e.baselineDueDate.rmse);
      const bad = await runCliInProcess(['model', 'evaluate', '--train-until', '2030-01-01'], env);
      expect(bad.code).toBe(6);
      expect(bad.stderr).toMatch(/no paid invoice was issued on or after it/);
    },
    SLOW,
  );

  it(
    'model train stores a version with its metrics and scores open invoices and customers with it',
    async () => {
      const r = await runCliInProcess(['model', 'train', '--date', TODAY, '--json'], env);
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout);
      expect(out.version).toBe(1);
      expect(out.kind).toBe('gbdt');
      expect(out.holdout.model.auc).toBeGreaterThan(0.85);
      expect(out.scores.invoices).toBeGreaterThan(10);
      const again = JSON.parse(
        (await runCliInProcess(['model', 'train', '--date', TODAY, '--json'], env)).stdout,
      );
      expect(again.version).toBe(2);
      const models = await query<{ version: number; metrics: { holdout: { model: { auc: number } } } }>(
        `select version, metrics from risk_models where org_id = '${orgId}' order by version`,
      );
      expect(models.map((m) => m.version)).toEqual([1, 2]);
      expect(models[0]?.metrics.holdout.model.auc).toBeGreaterThan(0.85);
      const inv = await query<{ n: number; v: number; bad: number }>(
        `select count(*)::int as n, min(model_version) as v,
           count(*) filter (where not (p10_date <= p50_date and p50_date <= p90_date and p_unpaid_30 >= p_unpaid_90
             and p10_date >= '${TODAY}'))::int as bad
         from invoice_risk_scores where org_id = '${orgId}'`,
      );
      expect(inv[0]?.n).toBe(out.scores.invoices);
      expect(inv[0]?.v).toBe(2);
      expect(inv[0]?.bad).toBe(0);
      // Chronic late payers score above early payers; every score names its model version.
      const scores = await query<{
        external_ref: string;
        score: number;
        band: string;
        model_version: number;
        factors: { fr: string }[];
      }>(
        `select c.external_ref, s.score, s.band, s.model_version, s.factors from customer_risk_scores s
         join customers c on c.org_id = s.org_id and c.id = s.customer_id where s.org_id = '${orgId}' and s.scored_on = '${TODAY}'`,
      );
      const habit = new Map(p.customers.map((c) => [c.id, c.habit]));
      const mean = (h: string) => {
        const s = scores.filter((x) => habit.get(x.external_ref) === h).map((x) => x.score);
        return s.reduce((a, b) => a + b, 0) / s.length;
      };
      expect(mean('late')).toBeGreaterThan(mean('early') + 40);
      expect(scores.every((s) => s.model_version === 2)).toBe(true);
      const worst = scores.sort((a, b) => b.score - a.score)[0];
      expect(worst?.factors[0]?.fr).toMatch(/\S/);
      // Kept per day: a run the next day adds a row, the same day replaces it.
      await runCliInProcess(['model', 'train', '--date', '2025-10-02'], env);
      const days = await query<{ d: number }>(
        `select count(distinct scored_on)::int as d from customer_risk_scores where org_id = '${orgId}'`,
      );
      expect(days[0]?.d).toBe(2);
    },
    SLOW,
  );

  it(
    'forecast gives 13 weeks per currency with P10 ≤ expected ≤ P90 and a backtest next to the naive one',
    async () => {
      const r = await runCliInProcess(['forecast', '--date', TODAY, '--json'], env);
      expect(r.stderr).toBe('');
      const f = JSON.parse(r.stdout);
      expect(f.weeks).toBe(13);
      expect(f.currencies[0].currency).toBe('USD');
      expect(f.currencies[0].weeks).toHaveLength(13);
      for (const w of f.currencies[0].weeks) {
        expect(w.p10Minor).toBeLessThanOrEqual(w.expectedMinor);
        expect(w.expectedMinor).toBeLessThanOrEqual(w.p90Minor);
      }
      const bt = f.backtest[0];
      expect(bt.actualMinor.reduce((a: number, b: number) => a + b, 0)).toBeGreaterThan(0);
      expect(bt.model.mape).toBeLessThan(bt.naive.mape);
      const text = await runCliInProcess(['forecast', '--date', TODAY, '--weeks', '4'], env);
      expect(text.stdout).toMatch(/Backtest USD from .*model MAPE .*naive \(due date\) MAPE/);
      const bad = await runCliInProcess(['forecast', '--weeks', 'many'], env);
      expect(bad.code).toBe(6);
    },
    SLOW,
  );
});
