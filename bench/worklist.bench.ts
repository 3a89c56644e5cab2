/**
 * Rank a large portfolio for the worklist on PostgreSQL: time of the first page and of the
 * fifth (keyset cursor), against a plain read of the open invoices.
 *
 *   npx tsx bench/worklist.bench.ts [--invoices 200000] [--customers 40000]
 *
 * Prints JSON: milliseconds per page, the candidates ranked, peak RSS.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase, withOrg } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { listWorklist } from '../src/db/queries/worklist.js';
import { createOrganisation } from '../src/services/organisations/create-organisation.js';
import { arg, runWhenMain } from './cli.js';

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export async function main(argv: string[] = process.argv.slice(2)): Promise<Record<string, unknown>> {
  const invoices = Number(arg(argv, 'invoices') ?? 200_000);
  const customers = Number(arg(argv, 'customers') ?? Math.max(1, Math.round(invoices / 5)));
  const adminUrl = loadConfig().DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `relance_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  try {
    await migrate(handle);
    const org = await createOrganisation(handle.db, { name: 'Bench Worklist SA' });
    await sql`
      insert into customers (org_id, external_ref, name, segment)
      select ${org.id}::uuid, 'C' || g, 'Client ' || g, case when g % 50 = 0 then 'strategic' else 'standard' end
      from generate_series(1, ${customers}) g
    `.execute(handle.db);
    // A third of the invoices are settled (history), the rest open and due over the last 200 days.
    await sql`
      with c as (select id, row_number() over (order by id) as n from customers where org_id = ${org.id})
      insert into invoices (org_id, customer_id, invoice_number, issue_date, due_date, currency, gross_minor,
        paid_minor, balance_minor, status)
      select ${org.id}::uuid, c.id, 'F' || g, date '2026-11-10' - (g % 200) - 30, date '2026-11-10' - (g % 200),
        'EUR', 10000 + (g % 997) * 100,
        case when g % 3 = 0 then 10000 + (g % 997) * 100 else 0 end,
        case when g % 3 = 0 then 0 else 10000 + (g % 997) * 100 end,
        case when g % 3 = 0 then 'paid' else 'open' end
      from generate_series(1, ${invoices}) g join c on c.n = 1 + (g % ${customers})
    `.execute(handle.db);
    await sql`
      insert into payments (org_id, customer_id, payment_reference, received_on, currency, amount_minor)
      select org_id, customer_id, 'P-' || invoice_number, due_date + (hashtext(invoice_number) % 20), 'EUR', gross_minor
      from invoices where org_id = ${org.id} and status = 'paid'
    `.execute(handle.db);
    await sql`
      insert into allocations (org_id, invoice_id, payment_id, amount_minor)
      select i.org_id, i.id, p.id, i.gross_minor from invoices i
      join payments p on p.org_id = i.org_id and p.payment_reference = 'P-' || i.invoice_number
      where i.org_id = ${org.id}
    `.execute(handle.db);
    await sql`analyze`.execute(handle.db);

    const s0 = process.hrtime.bigint();
    const open = await sql<{ n: number }>`
      select count(*)::integer as n from invoices where org_id = ${org.id} and balance_minor > 0 and due_date < '2026-11-10'
    `.execute(handle.db);
    const scanMs = ms(s0);

    const asOf = '2026-11-10';
    const p0 = process.hrtime.bigint();
    let page = await withOrg(handle.db, org.id, (trx) => listWorklist(trx, org.id, { asOf }, { limit: 50 }));
    const firstPageMs = ms(p0);
    let cursor = page.nextCursor;
    let fifthPageMs = 0;
    for (let i = 2; i <= 5 && cursor; i++) {
      const c0 = process.hrtime.bigint();
      const at = cursor;
      page = await withOrg(handle.db, org.id, (trx) =>
        listWorklist(trx, org.id, { asOf }, { limit: 50, cursor: at }),
      );
      fifthPageMs = ms(c0);
      cursor = page.nextCursor;
    }
    return {
      bench: 'worklist',
      invoices,
      customers,
      candidates: open.rows[0]?.n ?? 0,
      countOpenMs: Math.round(scanMs),
      firstPageMs: Math.round(firstPageMs),
      fifthPageMs: Math.round(fifthPageMs),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await handle.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

runWhenMain(import.meta.url, () => main());
