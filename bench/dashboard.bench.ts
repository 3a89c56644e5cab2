/**
 * Dashboard at scale (issue 6): one organisation with N invoices (the demo generator's
 * realistic portfolio: payments, part payments, credit notes) on PostgreSQL; p50/p95 of
 * the whole dashboard use case (as the route runs it, in withOrg) against the bare
 * aggregate over the ledger (sum of open balances), each query's own p95, and the scan of
 * every open invoice the rollups replaced (decision 017).
 *
 *   npx tsx bench/dashboard.bench.ts [--invoices 1000000] [--runs 30] [--keep] [--db NAME]
 *
 * --db NAME seeds a database of that name once and reuses it on later runs (migrating it
 * first, so a new migration's backfill is measured on the same data); it is never dropped.
 *
 * The size defaults to BENCH_SIZE, else 100,000 invoices (one customer per 10 invoices).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase, withOrg } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import {
  collectedByCurrency,
  receivablesByCurrency,
  salesByMonth,
  topOverdueCustomers,
} from '../src/db/queries/kpi.js';
import { createDemoOrganisation, demoToday, populateDemo } from '../src/demo/seed.js';
import { addMonths } from '../src/domain/calendar/index.js';
import { countBackPeriods } from '../src/domain/kpi/index.js';
import { DSO_MONTHS, getDashboard, TOP_CUSTOMERS } from '../src/services/kpi/get-dashboard.js';
import { topOverdueInCurrency } from '../src/services/kpi/top-overdue-customers.js';
import { arg, runWhenMain } from './cli.js';

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round((sorted[Math.max(0, i)] ?? 0) * 10) / 10;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm the cache and the plan
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<Record<string, unknown>> {
  // Bench scripts are outside the application; BENCH_SIZE is the suite-wide size knob.
  const invoices = Number(arg(argv, 'invoices') ?? process.env.BENCH_SIZE ?? 100_000);
  const runs = Number(arg(argv, 'runs') ?? 30);
  const adminUrl = loadConfig().DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  // --db NAME keeps a seeded database between runs: seeded once, migrated on each run.
  const reuse = arg(argv, 'db');
  const dbName = reuse ?? `relance_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists =
    (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rows.length > 0;
  if (!exists) await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const handle = await openDatabase({ databaseUrl: u.toString(), poolSize: 4 });
  try {
    await migrate(handle);
    const today = demoToday();
    const seeded = (await handle.executeSql('select id from organisations where is_demo limit 1')).rows[0];
    let orgId = seeded ? String(seeded.id) : '';
    let seedSeconds = 0;
    if (!seeded) {
      const org = await createDemoOrganisation(handle.db);
      orgId = org.id;
      const s0 = performance.now();
      await populateDemo(handle.db, org.id, {
        customers: Math.max(10, Math.round(invoices / 10)),
        invoices,
        seed: 6,
        today,
      });
      seedSeconds = Math.round((performance.now() - s0) / 100) / 10;
      // A freshly loaded table: what autovacuum would have done on a live one.
      await handle.executeSql('vacuum analyze');
    }
    const count = async (table: string) =>
      Number((await handle.executeSql(`select count(*) as n from ${table}`)).rows[0]?.n ?? 0);
    const counts = {
      invoices: await count('invoices'),
      customers: await count('customers'),
      payments: await count('payments'),
    };

    const db = handle.db;
    const bareSql = sql<{
      total: number;
    }>`select coalesce(sum(balance_minor), 0)::bigint as total from invoices where org_id = ${orgId} and balance_minor > 0`;
    const dashboard = await time(runs, () => withOrg(db, orgId, (trx) => getDashboard(trx, orgId, today)));
    const bare = await time(runs, () => withOrg(db, orgId, (trx) => bareSql.execute(trx)));
    // Exactness at scale: the receivables summed from the rollup equal the ledger's.
    const d = await withOrg(db, orgId, (trx) => getDashboard(trx, orgId, today));
    const ledger = await withOrg(db, orgId, (trx) => bareSql.execute(trx));
    const receivablesMatchLedger =
      d.currencies.reduce((s, c) => s + c.receivables, 0) === Number(ledger.rows[0]?.total ?? -1);
    const periods = countBackPeriods(today, DSO_MONTHS);
    const oldest = periods[periods.length - 1]?.from ?? today;
    const monthStart = `${today.slice(0, 7)}-01`;
    const currencies = d.currencies.map((c) => c.currency);
    const parts = {
      receivables: await time(runs, () =>
        withOrg(db, orgId, (trx) => receivablesByCurrency(trx, orgId, today)),
      ),
      salesByMonth12: await time(runs, () =>
        withOrg(db, orgId, (trx) => salesByMonth(trx, orgId, oldest, today)),
      ),
      collected: await time(runs, () =>
        withOrg(db, orgId, (trx) =>
          collectedByCurrency(trx, orgId, monthStart, addMonths(monthStart, -1), today),
        ),
      ),
      topOverdue: await time(runs, () =>
        withOrg(db, orgId, async (trx) => {
          for (const c of currencies) await topOverdueInCurrency(trx, orgId, c, today, TOP_CUSTOMERS);
        }),
      ),
      // The scan the rollup replaced (every open invoice), kept as the fallback.
      topOverdueLedgerScan: await time(Math.min(runs, 10), () =>
        withOrg(db, orgId, (trx) => topOverdueCustomers(trx, orgId, today, TOP_CUSTOMERS)),
      ),
    };
    const rollupRows = await handle.executeSql(
      `select (select count(*) from kpi_daily where org_id = $1) as daily,
         (select count(*) from kpi_customer_open where org_id = $1) as customers`,
      [orgId],
    );
    return {
      invoices: counts.invoices,
      customers: counts.customers,
      payments: counts.payments,
      seedSeconds,
      runs,
      dashboardP50Ms: dashboard.p50,
      dashboardP95Ms: dashboard.p95,
      bareAggregateP50Ms: bare.p50,
      bareAggregateP95Ms: bare.p95,
      ratio: Math.round((dashboard.p95 / Math.max(0.1, bare.p95)) * 10) / 10,
      receivablesMatchLedger,
      rollupRows: rollupRows.rows[0],
      p95ByQueryMs: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.p95])),
    };
  } finally {
    await handle.close();
    if (!reuse && !argv.includes('--keep')) {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${dbName} with (force)`);
      await a.end();
    }
  }
}

runWhenMain(import.meta.url, () => main());
