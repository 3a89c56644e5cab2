/**
 * Bulk import benchmark (issue 2): N invoices into a fresh PostgreSQL database through
 * importFile, compared with a raw `COPY` of the same file into a bare table.
 *
 *   npx tsx bench/import.bench.ts [--rows 1000000] [--batch 5000] [--keep]
 *
 * Prints {rows, importSeconds, rowsPerSecond, copySeconds, ratio, peakRssMB}.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { importFile } from '../src/services/imports/import-file.js';
import { createOrganisation } from '../src/services/organisations/create-organisation.js';
import { arg, runWhenMain } from './cli.js';

const run = promisify(execFile);

export interface BenchResult {
  rows: number;
  importSeconds: number;
  rowsPerSecond: number;
  copySeconds: number;
  ratio: number;
  /** COPY into a table shaped like invoices (same indexes, checks and FK): the floor this schema allows. */
  copyLedgerShapeSeconds: number;
  ratioToLedgerShape: number;
  peakRssMB: number;
  peakHeapMB: number;
  created: number;
  rejected: number;
  batchSize: number;
}

async function writeLines(path: string, count: number, line: (i: number) => string, header: string) {
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write(`${header}\n`);
  let chunk = '';
  for (let i = 1; i <= count; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

const pad = (n: number) => String(n).padStart(2, '0');

export async function main(argv: string[] = process.argv.slice(2)): Promise<BenchResult> {
  const rows = Number(arg(argv, 'rows') ?? 1_000_000);
  const batchSize = Number(arg(argv, 'batch') ?? 5_000);
  const adminUrl = loadConfig().DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dir = mkdtempSync(join(tmpdir(), 'relance-bench-'));
  const customersCsv = join(dir, 'customers.csv');
  const invoicesCsv = join(dir, 'invoices.csv');
  const customers = Math.max(1, Math.min(50_000, Math.ceil(rows / 20)));

  await writeLines(
    customersCsv,
    customers,
    (i) => `CUST-${i};Client ${i} SAS;Paris`,
    'Code client;Raison sociale;Ville',
  );
  await writeLines(
    invoicesCsv,
    rows,
    (i) => {
      const m = (i % 12) + 1;
      const d = (i % 28) + 1;
      const net = 1000 + (i % 9000);
      const tax = Math.round(net / 5);
      const fmt = (c: number) => `${Math.trunc(c / 100)},${pad(c % 100)}`;
      return `F2026-${i};CUST-${(i % customers) + 1};${pad(d)}/${pad(m)}/2025;${pad(d)}/${pad(m)}/2026;${fmt(net)};${fmt(tax)};${fmt(net + tax)};Prestation ${i}`;
    },
    'N° facture;Code client;Date facture;Date d’échéance;Montant HT;TVA;Montant TTC;Libellé',
  );

  const dbName = `relance_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();

  let peakRss = process.memoryUsage().rss;
  let peakHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 100);
  const handle = await openDatabase({ databaseUrl: url, poolSize: 4 });
  try {
    await migrate(handle);
    const org = await createOrganisation(handle.db, { name: 'Bench SAS' });
    await importFile(handle.db, org.id, {
      entity: 'customers',
      input: createReadStream(customersCsv),
      filename: 'customers.csv',
      mode: 'accept-valid',
    });

    const t0 = performance.now();
    const summary = await importFile(handle.db, org.id, {
      entity: 'invoices',
      input: createReadStream(invoicesCsv, { highWaterMark: 1 << 20 }),
      filename: 'invoices.csv',
      mode: 'all-or-nothing',
      batchSize,
    });
    const importSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);

    await handle.executeSql(
      'create table copy_staging (n text, c text, i text, d text, net text, tax text, gross text, label text)',
    );
    const c0 = performance.now();
    await run('psql', [
      url,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy copy_staging from '${invoicesCsv}' with (format csv, header true, delimiter ';')`,
    ]);
    const copySeconds = (performance.now() - c0) / 1000;

    // Same file into a copy of the invoices table (indexes, checks, foreign key included),
    // converting types on the way: what loading this schema costs without any validation.
    await handle.executeSql('create table copy_shaped (like invoices including all)');
    await handle.executeSql(
      'alter table copy_shaped add foreign key (org_id, customer_id) references customers (org_id, id)',
    );
    const s0 = performance.now();
    await handle.executeSql(`
      insert into copy_shaped (org_id, customer_id, invoice_number, issue_date, due_date, currency,
        net_minor, tax_minor, gross_minor, balance_minor, description)
      select '${org.id}', c.id, s.n, to_date(s.i, 'DD/MM/YYYY'), to_date(s.d, 'DD/MM/YYYY'), 'EUR',
        replace(s.net, ',', '')::bigint, replace(s.tax, ',', '')::bigint, replace(s.gross, ',', '')::bigint,
        replace(s.gross, ',', '')::bigint, s.label
      from copy_staging s join customers c on c.org_id = '${org.id}' and c.external_ref = s.c`);
    const copyLedgerShapeSeconds = copySeconds + (performance.now() - s0) / 1000;

    const result: BenchResult = {
      rows,
      importSeconds: Number(importSeconds.toFixed(2)),
      rowsPerSecond: Math.round(rows / importSeconds),
      copySeconds: Number(copySeconds.toFixed(2)),
      ratio: Number((importSeconds / copySeconds).toFixed(2)),
      copyLedgerShapeSeconds: Number(copyLedgerShapeSeconds.toFixed(2)),
      ratioToLedgerShape: Number((importSeconds / copyLedgerShapeSeconds).toFixed(2)),
      peakRssMB: Math.round(peakRss / 1024 / 1024),
      peakHeapMB: Math.round(peakHeap / 1024 / 1024),
      created: summary.created,
      rejected: summary.rejected,
      batchSize,
    };
    return result;
  } finally {
    clearInterval(sampler);
    await handle.close();
    if (!argv.includes('--keep')) {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${dbName} with (force)`);
      await a.end();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

runWhenMain(import.meta.url, () => main());
