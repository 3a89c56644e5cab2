import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { seedSyntheticLedger } from '../../fixtures/scoring/seed-ledger.js';
import { syntheticPortfolio } from '../../fixtures/scoring/synthetic-ar.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { bearer, keyFor, type OrgFixture, orgWithKey, testServer } from '../api/factories.js';

const SLOW = 240_000;

describeEngines('risk API', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let a: OrgFixture;
  let viewer: string;
  const p = syntheticPortfolio({ seed: 31, customers: 30, invoices: 800, from: '2024-01-01', days: 640 });

  beforeAll(async () => {
    t = await createTestDb(engine);
    a = await orgWithKey(t.db, 'Risque API');
    viewer = await keyFor(t.db, a.org.id, 'viewer');
    // testServer's clock is 2026-03-15: the ledger is as of that day.
    await withOrg(t.db, a.org.id, (trx) => seedSyntheticLedger(trx, a.org.id, p, '2025-10-01'));
    app = await testServer(t);
  }, SLOW);
  afterAll(async () => {
    await app.close();
    await t.drop();
  });

  it(
    'trains (admin only), then serves customers at risk, a customer file, the forecast and the versions',
    async () => {
      const denied = await app.inject({
        method: 'POST',
        url: '/api/v1/risk/models',
        headers: bearer(viewer),
      });
      expect(denied.statusCode).toBe(403);
      const before = await app.inject({ method: 'GET', url: '/api/v1/risk/customers', headers: a.auth });
      expect(before.json().items).toEqual([]);
      const trained = await app.inject({ method: 'POST', url: '/api/v1/risk/models', headers: a.auth });
      expect(trained.statusCode).toBe(201);
      expect(trained.json()).toMatchObject({ version: 1, kind: 'gbdt' });

      const list = await app.inject({
        method: 'GET',
        url: '/api/v1/risk/customers?limit=3',
        headers: bearer(viewer),
      });
      expect(list.statusCode).toBe(200);
      const items = list.json().items;
      expect(items).toHaveLength(3);
      expect(items[0].score).toBeGreaterThanOrEqual(items[1].score);
      expect(items[0].factors[0].fr).toMatch(/\S/);

      const file = await app.inject({
        method: 'GET',
        url: `/api/v1/customers/${items[0].customerId}/risk`,
        headers: a.auth,
      });
      expect(file.statusCode).toBe(200);
      const f = file.json();
      expect(f.current.score).toBe(items[0].score);
      expect(f.history).toEqual([
        { scoredOn: '2026-03-15', score: items[0].score, band: items[0].band, modelVersion: 1 },
      ]);
      for (const inv of f.invoices) expect(inv.p10Date <= inv.p90Date).toBe(true);

      const fc = await app.inject({ method: 'GET', url: '/api/v1/forecast?weeks=6', headers: a.auth });
      expect(fc.statusCode).toBe(200);
      expect(fc.json().currencies[0].weeks).toHaveLength(6);
      expect(fc.json().modelVersion).toBe(1);
      expect(fc.json().currencies[0].weeks[0].expected.currency).toBe('USD');

      const models = await app.inject({ method: 'GET', url: '/api/v1/risk/models', headers: a.auth });
      expect(models.json().items[0].metrics.holdout.model.auc).toBeGreaterThan(0.8);

      const missing = await app.inject({
        method: 'GET',
        url: '/api/v1/customers/00000000-0000-4000-8000-000000000000/risk',
        headers: a.auth,
      });
      expect(missing.statusCode).toBe(404);
    },
    SLOW,
  );
});
