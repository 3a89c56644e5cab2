/**
 * Plan a dunning run over a large portfolio on PostgreSQL and compare it with the floor:
 * a plain sequential read of the same open invoices.
 *
 *   npx tsx bench/dunning-plan.bench.ts [--invoices 1000000] [--customers 200000] [--batch 1000] [--no-next-day] [--keep]
 *
 * Two runs, each against the same floor: the first run over a portfolio never dunned (every
 * invoice already overdue, so ~2 actions per customer to write: the top-level figures), then
 * the daily run the next morning (`nextDay`: the history read, ~1% of customers with an
 * action). Prints JSON: invoices/s, each run's time over the scan's time, peak RSS, and where
 * the first run's time went (load, plan, write).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { planDunningRun } from '../src/services/dunning/plan-dunning-run.js';
import { runInstant } from '../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../src/services/organisations/create-organisation.js';
import { arg, runWhenMain } from './cli.js';

/**
 * CPU seconds spent so far by this process and by the database's server processes: unlike
 * wall time, they do not grow when other work shares the machine, so a change can be judged
 * on a busy machine. Linux only (reads /proc); PostgreSQL must run on this machine.
 */
async function cpuSeconds(admin: pg.Client, database: string): Promise<{ node: number; postgres: number }> {
  const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
    database,
  ]);
  let ticks = 0;
  for (const { pid } of rows) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
    } catch {
      // A backend that ended between the query and the read.
    }
  }
  const u = process.cpuUsage();
  return { node: (u.user + u.system) / 1e6, postgres: ticks / 100 };
}

function cpuSince(before: { node: number; postgres: number }, after: { node: number; postgres: number }) {
  return {
    node: Number((after.node - before.node).toFixed(2)),
    postgres: Number((after.postgres - before.postgres).toFixed(2)),
  };
}

function phasesOf(ms: { load: number; plan: number; write: number }) {
  return {
    load: Number((ms.load / 1000).toFixed(2)),
    plan: Number((ms.plan / 1000).toFixed(2)),
    write: Number((ms.write / 1000).toFixed(2)),
  };
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<Record<string, unknown>> {
  const invoices = Number(arg(argv, 'invoices') ?? 1_000_000);
  const customers = Number(arg(argv, 'customers') ?? Math.max(1, Math.round(invoices / 5)));
  const batchSize = Number(arg(argv, 'batch') ?? 1000);
  const adminUrl = loadConfig().DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `relance_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // The pool a Relance process opens by default: the run loads two pages at once on two connections each.
  const handle = await openDatabase({ databaseUrl: url.toString() });
  try {
    await migrate(handle);
    const org = await createOrganisation(handle.db, { name: 'Bench Dunning SA' });
    const t0 = Date.now();
    // Set-based generation: customers, one contact each, invoices due over the last 120 days.
    await sql`
      insert into customers (org_id, external_ref, name, kind, segment, address_line1, postal_code, city)
      select ${org.id}::uuid, 'C' || g, 'Client ' || g, case when g % 10 = 0 then 'b2c' else 'b2b' end,
        case when g % 50 = 0 then 'strategic' else 'standard' end, g || ' rue du Bench', '75001', 'Paris'
      from generate_series(1, ${customers}) g
    `.execute(handle.db);
    await sql`
      insert into contacts (org_id, customer_id, email, phone, consent_sms, is_primary)
      select org_id, id, 'c' || external_ref || '@bench.example', '+336' || lpad((row_number() over ())::text, 8, '0'),
        (hashtext(external_ref) % 3 = 0), true
      from customers where org_id = ${org.id}
    `.execute(handle.db);
    await sql`
      with c as (select id, row_number() over (order by id) as n from customers where org_id = ${org.id})
      insert into invoices (org_id, customer_id, invoice_number, issue_date, due_date, currency, gross_minor,
        balance_minor, status)
      select ${org.id}::uuid, c.id, 'F' || g, date '2026-11-10' - (g % 120) - 30, date '2026-11-10' - (g % 120) + 5,
        'EUR', 10000 + (g % 997) * 100, 10000 + (g % 997) * 100, 'open'
      from generate_series(1, ${invoices}) g join c on c.n = 1 + (g % ${customers})
    `.execute(handle.db);
    await sql`analyze`.execute(handle.db);
    // Flush the seeding's dirty pages now: a checkpoint running during the scan would slow
    // the floor down and flatter the ratio.
    await admin.query('checkpoint').catch(() => {});
    const generateSeconds = (Date.now() - t0) / 1000;

    // The floor: read every open invoice of the organisation once, in full, streamed by psql
    // to /dev/null so it costs no memory in this process. The median of three runs: one
    // reading is at the mercy of whatever else the machine does at that second.
    const scans: number[] = [];
    let scanned = 0;
    for (let i = 0; i < 3; i++) {
      const s0 = process.hrtime.bigint();
      const out = execFileSync(
        'psql',
        [
          url.toString(),
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          `\\copy (select * from invoices where org_id = '${org.id}' and balance_minor > 0 and status <> 'written_off') to '/dev/null'`,
        ],
        { encoding: 'utf8' },
      );
      scans.push(Number(process.hrtime.bigint() - s0) / 1e9);
      scanned = Number(/COPY (\d+)/.exec(out)?.[1] ?? 0);
    }
    const scanSeconds = [...scans].sort((a, b) => a - b)[1] ?? 0;

    const at = await runInstant(handle.db, org.id, '2026-11-10');
    const dc0 = await cpuSeconds(admin, name);
    const d0 = process.hrtime.bigint();
    // collectPlans off: a preview keeps every plan for display, which is not what is measured.
    const dry = await planDunningRun(handle.db, org.id, {
      now: at,
      dryRun: true,
      collectPlans: false,
      batchSize,
    });
    const dryRunSeconds = Number(process.hrtime.bigint() - d0) / 1e9;
    const dryRunCpu = cpuSince(dc0, await cpuSeconds(admin, name));
    const dryPhases = phasesOf(dry.phaseMs);
    const c0 = await cpuSeconds(admin, name);
    const r0 = process.hrtime.bigint();
    const result = await planDunningRun(handle.db, org.id, { now: at, dryRun: false, batchSize });
    const runSeconds = Number(process.hrtime.bigint() - r0) / 1e9;
    const runCpu = cpuSince(c0, await cpuSeconds(admin, name));
    // The daily run: the morning after, the history is loaded and most cases are unchanged.
    let nextDay: Record<string, unknown> | undefined;
    if (!argv.includes('--no-next-day')) {
      const n0 = process.hrtime.bigint();
      const next = await planDunningRun(handle.db, org.id, {
        now: await runInstant(handle.db, org.id, '2026-11-11'),
        dryRun: false,
        batchSize,
      });
      const seconds = Number(process.hrtime.bigint() - n0) / 1e9;
      nextDay = {
        seconds: Number(seconds.toFixed(2)),
        ratioToScan: Number((seconds / scanSeconds).toFixed(2)),
        actions: next.actions,
        outboxRowsInserted: next.outboxRowsInserted,
        phaseSeconds: phasesOf(next.phaseMs),
      };
    }

    return {
      bench: 'dunning-plan',
      invoices,
      customers,
      batchSize,
      generateSeconds,
      scanSeconds: Number(scanSeconds.toFixed(2)),
      scannedRows: scanned,
      runSeconds: Number(runSeconds.toFixed(2)),
      // Loading + planning without writing the outbox: separates the planner from the writes.
      dryRunSeconds: Number(dryRunSeconds.toFixed(2)),
      dryRunRatioToScan: Number((dryRunSeconds / scanSeconds).toFixed(2)),
      dryRunPhaseSeconds: dryPhases,
      dryRunCpuSeconds: dryRunCpu,
      // Load (read the batch), plan (the JavaScript planner), write (outbox, item steps, cases).
      runPhaseSeconds: phasesOf(result.phaseMs),
      // CPU seconds of the run in this process and in PostgreSQL: steady under load, unlike wall time.
      runCpuSeconds: runCpu,
      invoicesPerSecond: Math.round(invoices / runSeconds),
      ratioToScan: Number((runSeconds / scanSeconds).toFixed(2)),
      actionsPlanned: result.actions,
      outboxRowsInserted: result.outboxRowsInserted,
      postponed: result.postponed,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      ...(nextDay ? { nextDay } : {}),
    };
  } finally {
    await handle.close();
    // --keep leaves the database for profiling a run by hand (its name goes to stderr).
    if (argv.includes('--keep')) console.error(`kept database ${name}`);
    else await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

runWhenMain(import.meta.url, () => main());
