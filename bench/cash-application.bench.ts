/**
 * Cash application at scale on PostgreSQL: a generated, labelled month of bank lines (typos,
 * missing references, grouped, partial and short payments, overpayments, fees, returns,
 * strangers) imported as a CSV bank export against a ledger of open invoices. Reports the
 * precision and recall of the automatic matches, the share left for review, the time of the
 * matching alone and of the whole import (parse, match, record set-based), and peak memory.
 *
 *   npx tsx bench/cash-application.bench.ts [--lines 10000] [--invoices 100000] [--customers 10000]
 *
 * A line counts as correct when its payment went to the labelled customer and to exactly the
 * labelled invoices. Automatic = recorded without a person (confidence ≥ the threshold, 90).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase, withOrg } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { loadMatchingContext } from '../src/db/queries/bank-statements.js';
import { matchBankLines } from '../src/domain/matching/index.js';
import { createCreditorReference } from '../src/domain/sepa/index.js';
import { parseBankFile } from '../src/ingest/bank-statement/index.js';
import { bankSettings, matchOptions } from '../src/services/bank/bank-settings.js';
import { importBankStatement } from '../src/services/bank/import-bank-statement.js';
import { createOrganisation } from '../src/services/organisations/create-organisation.js';
import { arg, runWhenMain } from './cli.js';

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same month. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Boulangerie',
  'Garage',
  'Cabinet',
  'Transports',
  'Menuiserie',
  'Pharmacie',
  'Hotel',
  'Atelier',
  'Societe',
  'Ets',
  'Plomberie',
  'Imprimerie',
  'Cave',
  'Librairie',
  'Studio',
  'Ferme',
  'Clinique',
  'Agence',
  'Bureau',
  'Maison',
];
const MIDDLE = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'David',
  'Bertrand',
  'Roux',
  'Vincent',
  'Fournier',
  'Morel',
  'Girard',
  'Andre',
  'Mercier',
  'Dupont',
  'Lambert',
  'Bonnet',
  'Francois',
  'Martinez',
  'Legrand',
];
const LAST = [
  'Lyon',
  'Paris',
  'Nantes',
  'Lille',
  'Rennes',
  'Brest',
  'Metz',
  'Nancy',
  'Dijon',
  'Tours',
  'Caen',
  'Reims',
  'Pau',
  'Nice',
  'Annecy',
  'Vannes',
  'Albi',
  'Sete',
  'Agen',
  'Arles',
];
const FORMS = ['SARL', 'SAS', 'SA', 'EURL', ''];

const customerName = (c: number) =>
  `${FIRST[c % FIRST.length]} ${MIDDLE[Math.floor(c / FIRST.length) % MIDDLE.length]} ${LAST[Math.floor(c / (FIRST.length * MIDDLE.length)) % LAST.length]} ${c % 7 === 0 ? String(c) : ''} ${FORMS[c % FORMS.length]}`
    .replace(/\s+/g, ' ')
    .trim();
const ibanOf = (c: number) =>
  `FR76${String(30000 + (c % 9000)).padStart(5, '0')}${String(c).padStart(18, '0')}`;
const invoiceNumber = (g: number) => `F-2026-${String(g).padStart(7, '0')}`;
const amountOf = (g: number) => 5_000 + ((g * 7919) % 200_000);
const euros = (minor: number) =>
  `${minor < 0 ? '-' : ''}${Math.floor(Math.abs(minor) / 100)},${String(Math.abs(minor) % 100).padStart(2, '0')}`;

type Kind =
  | 'number'
  | 'number-typo'
  | 'number-loose'
  | 'iban-amount'
  | 'grouped-numbers'
  | 'grouped-iban'
  | 'partial'
  | 'short'
  | 'over'
  | 'rf'
  | 'name-amount'
  | 'stranger'
  | 'fee'
  | 'return';

interface Label {
  kind: Kind;
  customer?: number;
  invoices?: number[];
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<Record<string, unknown>> {
  const nLines = Number(arg(argv, 'lines') ?? 10_000);
  const nInvoices = Number(arg(argv, 'invoices') ?? 100_000);
  const nCustomers = Number(arg(argv, 'customers') ?? Math.max(10, Math.round(nInvoices / 10)));
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
    const org = await createOrganisation(handle.db, { name: 'Bench Cash SA' });
    await handle.db
      .updateTable('organisations')
      .set({
        settings: JSON.stringify({
          bank: { shortPaymentToleranceMinor: 500, shortPaymentReason: 'bank-fees' },
        }),
      })
      .where('id', '=', org.id)
      .execute();
    // Customers 1..C; invoice g (1..N) belongs to customer 1 + (g % C).
    const s0 = process.hrtime.bigint();
    const cust: number[] = Array.from({ length: nCustomers }, (_, i) => i + 1);
    for (let i = 0; i < cust.length; i += 20_000) {
      const part = cust.slice(i, i + 20_000);
      await sql`
        insert into customers (org_id, external_ref, name)
        select ${org.id}::uuid, 'C' || n, nm from unnest(${part}::int[], ${part.map(customerName)}::text[]) as s(n, nm)
      `.execute(handle.db);
    }
    await sql`
      with c as (select id, substr(external_ref, 2)::int as n from customers where org_id = ${org.id})
      insert into invoices (org_id, customer_id, invoice_number, issue_date, due_date, currency, gross_minor, balance_minor, status)
      select ${org.id}::uuid, c.id, 'F-2026-' || lpad(g::text, 7, '0'),
        date '2026-01-01' + (g % 300) - 30, date '2026-01-01' + (g % 300), 'EUR',
        5000 + ((g::bigint * 7919) % 200000), 5000 + ((g::bigint * 7919) % 200000), 'open'
      from generate_series(1, ${nInvoices}) g join c on c.n = 1 + (g % ${nCustomers})
    `.execute(handle.db);
    // Six customers in ten paid from a known account before (learned from confirmed matches).
    await sql`
      insert into bank_statement_lines (org_id, line_key, booking_date, currency, amount_minor, counterparty_iban, status, customer_id)
      select org_id, 'history-' || external_ref, date '2026-01-15', 'EUR', 100, 'FR76' || lpad((30000 + substr(external_ref, 2)::int % 9000)::text, 5, '0') || lpad(substr(external_ref, 2), 18, '0'), 'matched', id
      from customers where org_id = ${org.id} and substr(external_ref, 2)::int % 10 < 6
    `.execute(handle.db);
    await sql`analyze`.execute(handle.db);
    const customerIds = new Map(
      (
        await handle.db
          .selectFrom('customers')
          .select(['id', 'external_ref'])
          .where('org_id', '=', org.id)
          .execute()
      ).map((r) => [Number(r.external_ref.slice(1)), r.id]),
    );
    const invoiceIdsByNumber = new Map<string, string>();
    const seedMs = ms(s0);

    // The month: each invoice is paid at most once.
    const rand = rng(19);
    const used = new Set<number>();
    const pick = (): number => {
      for (;;) {
        const g = 1 + Math.floor(rand() * nInvoices);
        if (!used.has(g)) {
          used.add(g);
          return g;
        }
      }
    };
    const sibling = (g: number): number | undefined => {
      for (let k = 1; k < 10; k++) {
        const h = g + k * nCustomers;
        if (h <= nInvoices && !used.has(h)) {
          used.add(h);
          return h;
        }
      }
      return undefined;
    };
    const customerOf = (g: number) => 1 + (g % nCustomers);
    const mix: [Kind, number][] = [
      ['number', 0.4],
      ['number-typo', 0.06],
      ['number-loose', 0.06],
      ['iban-amount', 0.1],
      ['grouped-numbers', 0.06],
      ['grouped-iban', 0.02],
      ['partial', 0.04],
      ['short', 0.03],
      ['over', 0.02],
      ['rf', 0.04],
      ['name-amount', 0.03],
      ['stranger', 0.05],
      ['fee', 0.03],
      ['return', 0.02],
    ];
    const rows: string[] = ['Id;Date;Libellé;Tiers;IBAN;Référence;Montant'];
    const labels = new Map<string, Label>();
    const rfs: { reference: string; customer: number; g: number }[] = [];
    const paidLines: { id: string; customer: number; amount: number; e2e: string }[] = [];
    let fees = 0;
    for (let i = 1; i <= nLines; i++) {
      let r = rand();
      let kind: Kind = 'number';
      for (const [k, share] of mix) {
        if (r < share) {
          kind = k;
          break;
        }
        r -= share;
      }
      if (kind === 'return' && paidLines.length === 0) kind = 'number';
      const id = `B${String(i).padStart(7, '0')}`;
      const day = `${String(1 + (i % 28)).padStart(2, '0')}/03/2026`;
      const row = (text: string, payer: string, iban: string, ref: string, amount: number) =>
        rows.push([id, day, text, payer, iban, ref, euros(amount)].join(';'));
      const g = kind === 'stranger' || kind === 'fee' || kind === 'return' ? 0 : pick();
      const c = customerOf(g);
      const payer = rand() < 0.3 ? customerName(c).toUpperCase() : customerName(c);
      const knownIban = c % 10 < 6 ? ibanOf(c) : '';
      const e2e = `E2E${i}`;
      const num = invoiceNumber(g);
      switch (kind) {
        case 'number':
          row(`VIR FACT ${num}`, payer, knownIban, e2e, amountOf(g));
          labels.set(id, { kind, customer: c, invoices: [g] });
          paidLines.push({ id, customer: c, amount: amountOf(g), e2e });
          break;
        case 'number-typo': {
          // A letter O for a zero, or two neighbouring digits swapped.
          const digits = String(g).padStart(7, '0');
          const typo =
            rand() < 0.5
              ? `F-2026-${digits.replace('0', 'O')}`
              : `F-2026-${digits.slice(0, 5)}${digits[6]}${digits[5]}`;
          row(`REGLEMENT ${typo}`, payer, knownIban, '', amountOf(g));
          labels.set(id, { kind, customer: c, invoices: [g] });
          break;
        }
        case 'number-loose':
          row(`Facture 2026/${g}`, payer, knownIban, '', amountOf(g));
          labels.set(id, { kind, customer: c, invoices: [g] });
          break;
        case 'iban-amount': {
          if (!knownIban) {
            row(`VIREMENT ${payer}`, payer, '', '', amountOf(g));
            labels.set(id, { kind: 'name-amount', customer: c, invoices: [g] });
          } else {
            row('VIREMENT', payer, knownIban, '', amountOf(g));
            labels.set(id, { kind, customer: c, invoices: [g] });
          }
          break;
        }
        case 'grouped-numbers':
        case 'grouped-iban': {
          const h = sibling(g);
          const set = h ? [g, h] : [g];
          const total = set.reduce((s, x) => s + amountOf(x), 0);
          const text =
            kind === 'grouped-numbers' ? `FACTURES ${set.map(invoiceNumber).join(' ')}` : 'REGLEMENT RELEVE';
          row(text, payer, kind === 'grouped-iban' ? knownIban : knownIban, '', total);
          labels.set(id, { kind, customer: c, invoices: set });
          break;
        }
        case 'partial': {
          const part = Math.round(amountOf(g) * (0.3 + rand() * 0.5));
          row(`ACOMPTE ${num}`, payer, knownIban, '', part);
          labels.set(id, { kind, customer: c, invoices: [g] });
          break;
        }
        case 'short':
          row(`${num}`, payer, knownIban, '', amountOf(g) - (50 + Math.floor(rand() * 400)));
          labels.set(id, { kind, customer: c, invoices: [g] });
          break;
        case 'over':
          row(
            `PAIEMENT ${num}`,
            customerName(c),
            ibanOf(c),
            '',
            amountOf(g) + 1000 + Math.floor(rand() * 5000),
          );
          labels.set(id, { kind, customer: c, invoices: [g] });
          break;
        case 'rf': {
          const reference = createCreditorReference(`S${g}`);
          rfs.push({ reference, customer: c, g });
          row(reference, payer, knownIban, '', amountOf(g));
          labels.set(id, { kind, customer: c, invoices: [g] });
          break;
        }
        case 'name-amount':
          row(`VIR ${payer}`, payer, '', '', amountOf(g));
          labels.set(id, { kind, customer: c, invoices: [g] });
          break;
        case 'stranger':
          row(
            `VIR RECU ${Math.floor(rand() * 1e6)}`,
            `PARTICULIER ${Math.floor(rand() * 1e6)}`,
            '',
            '',
            1000 + Math.floor(rand() * 300_000),
          );
          labels.set(id, { kind });
          break;
        case 'fee':
          fees++;
          row('FRAIS TENUE DE COMPTE', 'BANQUE', '', '', -(250 + Math.floor(rand() * 2000)));
          labels.set(id, { kind });
          break;
        case 'return': {
          const original = paidLines.splice(Math.floor(rand() * paidLines.length), 1)[0];
          if (!original) break;
          row(
            'RETOUR VIREMENT MOTIF AC04',
            customerName(original.customer),
            ibanOf(original.customer),
            original.e2e,
            -original.amount,
          );
          labels.set(id, { kind, customer: original.customer });
          break;
        }
      }
    }
    for (const chunk of [rfs]) {
      if (chunk.length === 0) continue;
      const numbers = chunk.map((r) => invoiceNumber(r.g));
      const ids = await handle.db
        .selectFrom('invoices')
        .select(['id', 'invoice_number'])
        .where('org_id', '=', org.id)
        .where('invoice_number', 'in', numbers)
        .execute();
      for (const r of ids) invoiceIdsByNumber.set(r.invoice_number, r.id);
      await handle.db
        .insertInto('portal_references')
        .values(
          chunk.map((r) => ({
            org_id: org.id,
            reference: r.reference,
            customer_id: customerIds.get(r.customer) as string,
            kind: 'selection' as const,
            invoice_ids: [invoiceIdsByNumber.get(invoiceNumber(r.g)) as string],
          })),
        )
        .execute();
    }
    const csv = Buffer.from(`${rows.join('\n')}\n`, 'utf8');

    // Matching alone: parse, load the ledger, match (no writes).
    const m0 = process.hrtime.bigint();
    const parsed = parseBankFile(csv, { filename: 'month.csv' });
    const context = await withOrg(handle.db, org.id, (trx) => loadMatchingContext(trx, org.id));
    const loadMs = ms(m0);
    const settings = bankSettings({ bank: { shortPaymentToleranceMinor: 500 } });
    const m1 = process.hrtime.bigint();
    matchBankLines(
      parsed.statements.flatMap((s) => s.lines),
      context,
      matchOptions(settings),
    );
    const matchMs = ms(m1);

    // The whole import: parse, match, record set-based, returns.
    const i0 = process.hrtime.bigint();
    const result = await importBankStatement(
      handle.db,
      org.id,
      { content: csv, filename: 'month.csv' },
      { now: new Date('2026-03-31T18:00:00Z'), actor: 'bench' },
    );
    const importMs = ms(i0);

    const numberOfInvoice = new Map(context.invoices.map((i) => [i.invoiceId, i.invoiceNumber]));
    let auto = 0;
    let autoCorrect = 0;
    let matchable = 0;
    let review = 0;
    let credits = 0;
    let returnsExpected = 0;
    const wrong: Record<string, number> = {};
    const autoByKind: Record<string, [number, number]> = {};
    for (const line of result.lines) {
      const label = labels.get(line.lineId);
      if (!label) continue;
      if (label.kind === 'return') {
        returnsExpected++;
        continue;
      }
      if (label.kind === 'fee') continue;
      credits++;
      if (label.invoices) matchable++;
      const k = autoByKind[label.kind] ?? [0, 0];
      autoByKind[label.kind] = k;
      k[1]++;
      if (line.status === 'unmatched') review++;
      if (line.status !== 'matched') continue;
      auto++;
      k[0]++;
      const got = line.allocations.map((a) => numberOfInvoice.get(a.invoiceId) ?? a.invoiceNumber).sort();
      const want = (label.invoices ?? []).map(invoiceNumber).sort();
      const ok = line.customerId === customerIds.get(label.customer ?? -1) && got.join() === want.join();
      if (ok) autoCorrect++;
      else wrong[label.kind] = (wrong[label.kind] ?? 0) + 1;
    }
    const pct = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 100);
    return {
      bench: 'cash-application',
      engine: 'postgres',
      lines: nLines,
      openInvoices: nInvoices,
      customers: nCustomers,
      creditLines: credits,
      feeLines: fees,
      seedMs: Math.round(seedMs),
      loadLedgerMs: Math.round(loadMs),
      matchMs: Math.round(matchMs),
      importMs: Math.round(importMs),
      precisionPct: pct(autoCorrect, auto),
      recallPct: pct(autoCorrect, matchable),
      autoMatchedPctOfCredits: pct(auto, credits),
      autoMatchedPctOfMatchable: pct(auto, matchable),
      reviewPct: pct(review, credits),
      returnsApplied: result.returns,
      returnsExpected,
      wrongAutoByKind: wrong,
      autoByKind,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await handle.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

runWhenMain(import.meta.url, main);
