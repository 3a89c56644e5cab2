import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { JobQueue } from '../../../src/jobs/queue.js';
import { registerRiskJobs, riskTrainSweep } from '../../../src/jobs/risk-jobs.js';
import { logger } from '../../../src/logger.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { seedSyntheticLedger } from '../../fixtures/scoring/seed-ledger.js';
import { syntheticPortfolio } from '../../fixtures/scoring/synthetic-ar.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

async function waitFor(cond: () => Promise<boolean>, ms = 120_000) {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeEngines('nightly risk training job', (engine) => {
  let t: TestDb;
  let q: JobQueue;
  let orgId: string;
  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await createOrganisation(t.db, { name: 'Nuit SA' })).id;
    const p = syntheticPortfolio({ seed: 8, customers: 20, invoices: 500, from: '2025-01-01', days: 300 });
    await withOrg(t.db, orgId, (trx) => seedSyntheticLedger(trx, orgId, p, '2025-10-01'));
    q = new JobQueue(t, logger('silent'), { schedule: false, pollingIntervalSeconds: 0.5 });
    await q.start();
    await registerRiskJobs(
      { handle: t, queue: q, log: logger('silent'), now: () => new Date('2025-10-02T02:30:00Z') },
      { schedule: false },
    );
  }, 120_000);
  afterAll(async () => {
    await q.stop();
    await t.drop();
  });

  it('the sweep trains each organisation once per local day and scores its portfolio', async () => {
    await q.send(riskTrainSweep, {});
    await q.send(riskTrainSweep, {}, { idempotencyKey: 'second-sweep' });
    const models = async () =>
      withOrg(t.db, orgId, (trx) =>
        trx
          .selectFrom('risk_models')
          .select(['version', 'trained_until'])
          .where('org_id', '=', orgId)
          .execute(),
      );
    await waitFor(async () => (await models()).length >= 1);
    // Give a duplicate the time it would need to show up.
    await new Promise((r) => setTimeout(r, 3000));
    const m = await models();
    expect(m.map((x) => [x.version, String(x.trained_until)])).toEqual([[1, '2025-10-02']]);
    const scored = await withOrg(t.db, orgId, (trx) =>
      trx.selectFrom('customer_risk_scores').select('scored_on').where('org_id', '=', orgId).execute(),
    );
    expect(scored.length).toBeGreaterThan(0);
  }, 180_000);
});
