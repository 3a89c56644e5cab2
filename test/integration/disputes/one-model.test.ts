import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withOrg } from '../../../src/db/connection.js';
import { generatePortfolio } from '../../../src/demo/generate-portfolio.js';
import { writePortfolio } from '../../../src/demo/write-portfolio.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const TODAY = '2026-03-15';

/** Invoices whose flag and open disputes disagree, per organisation. */
async function disagreements(t: TestDb, orgId: string) {
  const r = await sql<{ invoice_number: string; disputed: boolean; open_disputes: number; status: string }>`
    select i.invoice_number, i.disputed, i.status,
      (select count(*) from disputes d where d.org_id = i.org_id and d.invoice_id = i.id and d.status = 'open')::int
        as open_disputes
    from invoices i where i.org_id = ${orgId}
  `.execute(t.db);
  return r.rows.filter(
    (x) =>
      x.disputed !== x.open_disputes > 0 ||
      x.open_disputes > 1 ||
      (x.disputed && x.status !== 'disputed' && ['open', 'partially_paid'].includes(x.status)),
  );
}

describeEngines('one dispute model', (engine) => {
  let t: TestDb;
  let demoOrg: string;
  beforeAll(async () => {
    t = await createTestDb(engine);
    demoOrg = (await createOrganisation(t.db, { name: 'Litiges Démo SAS' })).id;
    await writePortfolio(
      t.db,
      demoOrg,
      generatePortfolio({ customers: 40, invoices: 400, seed: 3, today: TODAY }),
      {
        today: TODAY,
      },
    );
  });
  afterAll(async () => t.drop());

  it('the demo opens its disputes through the dispute use case: flag, dispute row and task agree', async () => {
    const flagged = await sql<{ n: number }>`
      select count(*)::int as n from invoices where org_id = ${demoOrg} and disputed`.execute(t.db);
    expect(flagged.rows[0]?.n).toBeGreaterThan(0);
    expect(await disagreements(t, demoOrg)).toEqual([]);
    const tasks = await sql<{ n: number }>`
      select count(*)::int as n from tasks k join disputes d on d.org_id = k.org_id
        and k.detail ->> 'disputeId' = d.id::text
      where k.org_id = ${demoOrg} and k.kind = 'dispute' and d.opened_by = 'demo'`.execute(t.db);
    expect(tasks.rows[0]?.n).toBe(flagged.rows[0]?.n);
  });

  it('migration 0036 reconciles a flag without a dispute and a dispute without its flag', async () => {
    const org = (await createOrganisation(t.db, { name: 'Réconciliation SARL' })).id;
    await sql`
      insert into customers (org_id, id, external_ref, name) values
        (${org}, '00000000-0000-4000-8000-0000000c0001', 'C1', 'Client Un')`.execute(t.db);
    await sql`
      insert into invoices (org_id, id, customer_id, invoice_number, issue_date, due_date, currency,
        net_minor, tax_minor, gross_minor, balance_minor, status, disputed) values
        (${org}, '00000000-0000-4000-8000-0000000f0001', '00000000-0000-4000-8000-0000000c0001', 'F-1',
          '2026-01-01', '2026-01-31', 'EUR', 1000, 200, 1200, 1200, 'disputed', true),
        (${org}, '00000000-0000-4000-8000-0000000f0002', '00000000-0000-4000-8000-0000000c0001', 'F-2',
          '2026-01-01', '2026-01-31', 'EUR', 1000, 200, 1200, 1200, 'open', false),
        (${org}, '00000000-0000-4000-8000-0000000f0003', '00000000-0000-4000-8000-0000000c0001', 'F-3',
          '2026-01-01', '2026-01-31', 'EUR', 1000, 200, 1200, 1200, 'disputed', false)`.execute(t.db);
    await sql`
      insert into disputes (org_id, invoice_id, customer_id, reason_code) values
        (${org}, '00000000-0000-4000-8000-0000000f0002', '00000000-0000-4000-8000-0000000c0001', 'quality');
    `.execute(t.db);
    expect((await disagreements(t, org)).map((x) => x.invoice_number)).toEqual(['F-1', 'F-2']);
    const migration = readFileSync(
      new URL('../../../src/db/migrations/0036_disputes_one_model.sql', import.meta.url),
      'utf8',
    );
    const statements = migration
      .split('\n')
      .filter((l) => !l.startsWith('--'))
      .join('\n')
      .split(';')
      .map((x) => x.trim())
      .filter(Boolean);
    // Twice: the second pass adds nothing.
    for (const pass of [1, 2])
      for (const s of statements) await sql.raw(`${s} -- pass ${pass}`).execute(t.db);
    expect(await disagreements(t, org)).toEqual([]);
    const rows = await sql<{ invoice_number: string; status: string; disputes: number; tasks: number }>`
      select i.invoice_number, i.status,
        (select count(*) from disputes d where d.org_id = i.org_id and d.invoice_id = i.id)::int as disputes,
        (select count(*) from tasks k where k.org_id = i.org_id and k.invoice_id = i.id and k.kind = 'dispute')::int as tasks
      from invoices i where i.org_id = ${org} order by i.invoice_number`.execute(t.db);
    expect(rows.rows).toEqual([
      { invoice_number: 'F-1', status: 'disputed', disputes: 1, tasks: 1 },
      { invoice_number: 'F-2', status: 'disputed', disputes: 1, tasks: 0 },
      { invoice_number: 'F-3', status: 'open', disputes: 0, tasks: 0 },
    ]);
  });

  it('the preview plans exactly the customers and items the run plans, and no disputed item', async () => {
    const now = new Date(`${TODAY}T09:00:00Z`);
    const items = (r: Awaited<ReturnType<typeof planDunningRun>>) =>
      r.plans
        .flatMap((p) =>
          p.plan.actions.flatMap((a) => a.items.map((i) => `${p.plan.customerId}|${i.invoiceId}`)),
        )
        .sort();
    const preview = await planDunningRun(t.db, demoOrg, { now, dryRun: true });
    const run = await planDunningRun(t.db, demoOrg, { now, dryRun: false, collectPlans: true });
    expect(items(preview).length).toBeGreaterThan(0);
    expect(items(run)).toEqual(items(preview));
    const disputedIds = new Set(
      (
        await withOrg(t.db, demoOrg, (trx) =>
          trx.selectFrom('invoices').select('id').where('disputed', '=', true).execute(),
        )
      ).map((r) => r.id),
    );
    expect(items(preview).filter((k) => disputedIds.has(k.split('|')[1] ?? ''))).toEqual([]);
    const excluded = preview.plans.flatMap((p) => p.plan.excluded.filter((e) => e.reason === 'disputed'));
    expect(excluded.length).toBeGreaterThan(0);
  });
});
