/**
 * FEC import benchmark (issue 17): a generated FEC of N lines (default 1,000,000) imported
 * into a fresh PostgreSQL database through importFec, then imported again (the sync no-op).
 *
 *   npx tsx bench/fec-import.bench.ts [--lines 1000000] [--keep]
 *
 * The books look like a trading company's: 5,000 customers on 411 with auxiliary accounts;
 * sales entries of three lines (411, 706, 44571), bank entries of two (411, 512) lettered
 * with their invoice (a tenth of them partial), purchase entries of three lines that touch
 * no receivable. Prints {lines, importSeconds, linesPerSecond, reimportSeconds, …}.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { importFec } from '../src/services/imports/import-fec.js';
import { createOrganisation } from '../src/services/organisations/create-organisation.js';
import { arg, runWhenMain } from './cli.js';

const HEADER =
  'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';

const money = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

function dateOf(dayIndex: number): string {
  const d = new Date(Date.UTC(2025, 0, 1 + (dayIndex % 365)));
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Letters AAA, AAB, … (three letters: 17,576 groups per customer is plenty). */
function letter(n: number): string {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return `${a[Math.floor(n / 676) % 26]}${a[Math.floor(n / 26) % 26]}${a[n % 26]}`;
}

export async function writeFec(path: string, target: number): Promise<{ lines: number; receivable: number }> {
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await write(`${HEADER}\n`);
  let lines = 0;
  let receivable = 0;
  let chunk = '';
  const customers = 5_000;
  const lettersUsed = new Map<number, number>();
  let i = 0;
  const line = (cells: string[]) => {
    chunk += `${cells.join('\t')}\n`;
    lines++;
  };
  while (lines < target) {
    i++;
    const c = i % customers;
    const aux = `C${String(c).padStart(5, '0')}`;
    const name = `Client ${c} SARL`;
    const day = Math.floor(i / 600);
    const date = dateOf(day);
    const net = 10_000 + ((i * 7919) % 500_000);
    const vat = Math.round(net / 5);
    const gross = net + vat;
    const piece = `FA${String(i).padStart(8, '0')}`;
    const kind = i % 10;
    const paid = kind < 7;
    const partial = kind === 7;
    let let_ = '';
    if (paid || partial) {
      const n = lettersUsed.get(c) ?? 0;
      lettersUsed.set(c, n + 1);
      let_ = letter(n);
    }
    // Sales entry.
    line([
      'VE',
      'VENTES',
      `VE${i}`,
      date,
      '41100000',
      'Clients',
      aux,
      name,
      piece,
      date,
      `Facture ${piece}`,
      money(gross),
      '0,00',
      let_,
      let_ ? date : '',
      date,
      '',
      '',
    ]);
    line([
      'VE',
      'VENTES',
      `VE${i}`,
      date,
      '70600000',
      'Prestations',
      '',
      '',
      piece,
      date,
      `Facture ${piece}`,
      '0,00',
      money(net),
      '',
      '',
      date,
      '',
      '',
    ]);
    line([
      'VE',
      'VENTES',
      `VE${i}`,
      date,
      '44571000',
      'TVA collectée',
      '',
      '',
      piece,
      date,
      `Facture ${piece}`,
      '0,00',
      money(vat),
      '',
      '',
      date,
      '',
      '',
    ]);
    receivable++;
    if (paid || partial) {
      const amount = partial ? Math.floor(gross / 2) : gross;
      const payDate = dateOf(day + 30);
      line([
        'BQ',
        'BANQUE',
        `BQ${i}`,
        payDate,
        '41100000',
        'Clients',
        aux,
        name,
        `VIR${i}`,
        payDate,
        `Virement ${piece}`,
        '0,00',
        money(amount),
        let_,
        payDate,
        payDate,
        '',
        '',
      ]);
      line([
        'BQ',
        'BANQUE',
        `BQ${i}`,
        payDate,
        '51200000',
        'Banque',
        '',
        '',
        `VIR${i}`,
        payDate,
        `Virement ${piece}`,
        money(amount),
        '0,00',
        '',
        '',
        payDate,
        '',
        '',
      ]);
      receivable++;
    }
    if (i % 2 === 0) {
      const buy = 5_000 + ((i * 104729) % 100_000);
      line([
        'AC',
        'ACHATS',
        `AC${i}`,
        date,
        '60700000',
        'Achats',
        '',
        '',
        `F${i}`,
        date,
        'Achat',
        money(buy),
        '0,00',
        '',
        '',
        date,
        '',
        '',
      ]);
      line([
        'AC',
        'ACHATS',
        `AC${i}`,
        date,
        '44566000',
        'TVA déductible',
        '',
        '',
        `F${i}`,
        date,
        'Achat',
        money(Math.round(buy / 5)),
        '0,00',
        '',
        '',
        date,
        '',
        '',
      ]);
      line([
        'AC',
        'ACHATS',
        `AC${i}`,
        date,
        '40100000',
        'Fournisseurs',
        '',
        '',
        `F${i}`,
        date,
        'Achat',
        '0,00',
        money(buy + Math.round(buy / 5)),
        '',
        '',
        date,
        '',
        '',
      ]);
    }
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { lines, receivable };
}

export async function main(argv: string[] = process.argv.slice(2)) {
  const target = Number(arg(argv, 'lines') ?? 1_000_000);
  const adminUrl = loadConfig().DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dir = mkdtempSync(join(tmpdir(), 'relance-fec-bench-'));
  const file = join(dir, 'FEC.txt');
  const written = await writeFec(file, target);

  const dbName = `relance_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const handle = await openDatabase({ databaseUrl: u.toString(), poolSize: 4 });
  try {
    await migrate(handle);
    const org = await createOrganisation(handle.db, { name: 'Bench FEC SAS' });
    const t0 = performance.now();
    const s = await importFec(handle.db, org.id, { input: createReadStream(file), filename: 'FEC.txt' });
    const importSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const again = await importFec(handle.db, org.id, { input: createReadStream(file), filename: 'FEC.txt' });
    const reimportSeconds = (performance.now() - t1) / 1000;
    return {
      lines: s.rowsRead,
      receivableLines: written.receivable,
      status: s.status,
      importSeconds: Number(importSeconds.toFixed(1)),
      linesPerSecond: Math.round(s.rowsRead / importSeconds),
      invoices: s.invoices.created,
      payments: s.payments.created,
      allocations: s.allocations.created,
      customersReconciled: `${s.reconciliation.matched}/${s.reconciliation.customers}`,
      reimportSeconds: Number(reimportSeconds.toFixed(1)),
      reimportCreated: again.invoices.created + again.payments.created + again.allocations.created,
      peakRssMB: Math.round(peakRss / 1e6),
    };
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
