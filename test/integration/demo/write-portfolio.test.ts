import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { generatePortfolio } from '../../../src/demo/generate-portfolio.js';
import { isIbanValid } from '../../../src/demo/identifiers.js';
import { createDemoOrganisation, createDemoSeeder, DEMO_SIZE } from '../../../src/demo/seed.js';
import { writePortfolio } from '../../../src/demo/write-portfolio.js';
import { logger } from '../../../src/logger.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const TODAY = '2026-03-15';

describeEngines('demo portfolio writer', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb(engine);
  });
  afterAll(async () => t.drop());

  it('writes every generated row and derives balances equal to gross minus allocations', async () => {
    const org = await createOrganisation(t.db, { name: 'Writer Test SAS' });
    const p = generatePortfolio({ customers: 40, invoices: 400, seed: 3, today: TODAY });
    const counts = await writePortfolio(t.db, org.id, p);
    expect(counts).toEqual({
      customers: p.customers.length,
      contacts: p.contacts.length,
      invoices: p.invoices.length,
      instalments: p.instalments.length,
      creditNotes: p.creditNotes.length,
      payments: p.payments.length,
      allocations: p.allocations.length,
    });
    const allocated = new Map<string, number>();
    for (const a of p.allocations)
      allocated.set(a.invoiceId, (allocated.get(a.invoiceId) ?? 0) + a.amountMinor);
    const rows = await withOrg(t.db, org.id, (trx) =>
      trx
        .selectFrom('invoices')
        .select(['id', 'gross_minor', 'balance_minor', 'status', 'disputed'])
        .execute(),
    );
    expect(rows).toHaveLength(400);
    for (const r of rows) expect(r.balance_minor).toBe(r.gross_minor - (allocated.get(r.id) ?? 0));
    const statuses = new Set(rows.map((r) => r.status));
    for (const s of ['paid', 'open', 'partially_paid', 'disputed']) expect(statuses).toContain(s);
    for (const r of rows.filter((x) => x.disputed)) expect(r.status).toBe('disputed');
    const overpaid = await withOrg(t.db, org.id, (trx) =>
      trx.selectFrom('payments').select('unallocated_minor').where('unallocated_minor', '<', 0).execute(),
    );
    expect(overpaid).toEqual([]);
  });

  it('adds nothing when the same portfolio is written twice', async () => {
    const org = await createOrganisation(t.db, { name: 'Twice SARL' });
    const p = generatePortfolio({ customers: 10, invoices: 60, seed: 8, today: TODAY });
    await writePortfolio(t.db, org.id, p);
    const again = await writePortfolio(t.db, org.id, p);
    expect(Object.values(again)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from invoices where org_id = ${org.id}`.execute(t.db);
    expect(n.rows[0]?.n).toBe(60);
  });

  it('keeps two organisations with the same seed apart (same ids, different tenants)', async () => {
    const a = await createOrganisation(t.db, { name: 'Tenant A' });
    const b = await createOrganisation(t.db, { name: 'Tenant B' });
    const p = generatePortfolio({ customers: 5, invoices: 20, seed: 11, today: TODAY });
    await writePortfolio(t.db, a.id, p);
    await writePortfolio(t.db, b.id, p);
    const seen = await withOrg(t.db, a.id, (trx) => trx.selectFrom('invoices').select('org_id').execute());
    expect(seen).toHaveLength(20);
    expect(new Set(seen.map((r) => r.org_id))).toEqual(new Set([a.id]));
  });

  it('seeds "Démo Industries SAS" with a complete French identity and the demo portfolio', async () => {
    const fresh = await createTestDb(engine);
    try {
      await createDemoSeeder({ today: TODAY })(fresh, logger('silent'));
      const orgs = await fresh.db.selectFrom('organisations').selectAll().execute();
      expect(orgs).toHaveLength(1);
      const org = orgs[0];
      expect(org).toMatchObject({
        slug: 'demo',
        legal_name: 'Démo Industries SAS',
        is_demo: true,
        jurisdiction: 'FR',
        city: 'Paris',
        siren: '552100554',
      });
      expect(isIbanValid(org?.iban ?? '')).toBe(true);
      const n = await sql<{ c: number; i: number }>`
        select (select count(*)::int from customers) as c, (select count(*)::int from invoices) as i
      `.execute(fresh.db);
      expect(n.rows[0]).toEqual({ c: DEMO_SIZE.customers, i: DEMO_SIZE.invoices });
      // A second demo organisation does not take the first one's slug.
      expect((await createDemoOrganisation(fresh.db)).slug).toBe('demo-2');
    } finally {
      await fresh.drop();
    }
  });
});
