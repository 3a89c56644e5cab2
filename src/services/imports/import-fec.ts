import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { refreshBalances } from '../../db/queries/balances.js';
import {
  deleteAllocationsById,
  ensureFecCustomers,
  fecOrgDefaults,
  insertFecAllocations,
  insertFecEntities,
  insertFecImport,
  loadFecAllocations,
  loadFecItems,
  type NewItems,
  openByCustomer,
  setDisappeared,
  takenNumbers,
  updateFecItems,
} from '../../db/queries/fec.js';
import type { Database } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import {
  type FecItemKind,
  type JournalType,
  LedgerBuilder,
  type LedgerItem,
  type SkippedLine,
  type UnbalancedEntry,
} from '../../ingest/fec/ledger.js';
import { type FecDialect, FecFormatError, type FecLineError, readFec } from '../../ingest/fec/read-fec.js';

export interface FecImportOptions {
  input: Readable | Buffer;
  filename?: string;
  /** Account prefixes holding receivables (default 411). */
  receivablePrefixes?: string[];
  /** Terms for items without DateRglt when the customer has none (default: the organisation's). */
  termsDays?: number;
  salesJournals?: string[];
  openingJournals?: string[];
  dryRun?: boolean;
  onProgress?: (lines: number) => void;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ReconciliationMismatch {
  customerRef: string;
  customerName: string;
  /** Debit minus credit of the customer's lines in the file (unlettered + partial residue). */
  booksMinor: number;
  /** Open invoice balances less unallocated payments and credit notes in Relance. */
  relanceMinor: number;
}

export interface FecImportSummary {
  importId: string;
  status: 'committed' | 'rejected';
  dryRun?: true;
  dialect: FecDialect;
  rowsRead: number;
  accepted: number;
  rejected: number;
  /** Lines that could not be read: line, column, value, reason. */
  errors: FecLineError[];
  /** Receivable lines read but not turned into a ledger row, with the reason. */
  skipped: SkippedLine[];
  /** Values the import had to adjust, each with the line and why. */
  warnings: SkippedLine[];
  unbalanced: UnbalancedEntry[];
  journals: Record<string, JournalType>;
  lastDate: string | null;
  receivableLines: number;
  customers: { inFile: number; created: number };
  invoices: Counts;
  creditNotes: Counts;
  payments: Counts;
  allocations: { created: number; removed: number; kept: number; partialGroups: number };
  /** Lines of earlier imports no longer in the books: flagged, not deleted. */
  flaggedDisappeared: number;
  restored: number;
  dueDates: { fromFile: number; customerTerms: number; importTerms: number; organisationTerms: number };
  reconciliation: { customers: number; matched: number; mismatches: ReconciliationMismatch[] };
}

class Rollback {}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function methodOf(it: LedgerItem): string {
  const m = it.modeRglt.toUpperCase();
  if (/^(CH|CHQ|CHEQUE|CHÈQUE)/.test(m)) return 'cheque';
  if (/^(VIR|VRT|TRANSFER|SEPA)/.test(m)) return 'transfer';
  if (/^(PRL|PRLV|PRE|PRELEV|LCR|SDD)/.test(m)) return 'direct_debit';
  if (/^(CB|CARTE|CARD)/.test(m)) return 'card';
  if (/^(ESP|CASH)/.test(m)) return 'cash';
  return 'other';
}

/**
 * Import a FEC (decision 027): read every line, build the receivables ledger, write what is
 * new, settle what was lettered since, flag what disappeared, then check per customer that
 * what Relance holds open equals the books to the cent. One transaction: a file that does
 * not read, does not balance or does not reconcile changes nothing.
 */
export async function importFec(
  db: Kysely<Database>,
  orgId: string,
  opts: FecImportOptions,
): Promise<FecImportSummary> {
  const defaults = await withOrg(db, orgId, (trx) => fecOrgDefaults(trx, orgId));
  if (!defaults) throw notFound('Organisation', orgId);
  let reader: Awaited<ReturnType<typeof readFec>>;
  try {
    reader = await readFec(opts.input);
  } catch (e) {
    if (e instanceof FecFormatError)
      throw new AppError('VALIDATION', `Not a readable FEC: ${e.message}`, [{ line: 1, reason: e.message }]);
    throw e;
  }
  const builder = new LedgerBuilder({
    receivablePrefixes: opts.receivablePrefixes ?? ['411'],
    ...(opts.salesJournals ? { salesJournals: opts.salesJournals } : {}),
    ...(opts.openingJournals ? { openingJournals: opts.openingJournals } : {}),
  });
  const errors: FecLineError[] = [];
  let rowsRead = 0;
  for await (const item of reader.items) {
    rowsRead++;
    if (item.ok) builder.add(item.line);
    else errors.push(item.error);
    if (rowsRead % 50_000 === 0) opts.onProgress?.(rowsRead);
  }
  opts.onProgress?.(rowsRead);
  const ledger = builder.build();
  const importId = randomUUID();

  const summary: FecImportSummary = {
    importId,
    status: 'committed',
    ...(opts.dryRun ? { dryRun: true as const } : {}),
    dialect: reader.dialect,
    rowsRead,
    accepted: rowsRead - errors.length,
    rejected: errors.length,
    errors,
    skipped: ledger.skipped,
    warnings: [],
    unbalanced: ledger.unbalanced,
    journals: ledger.journals,
    lastDate: ledger.lastDate,
    receivableLines: ledger.totals.receivableLines,
    customers: { inFile: ledger.customers.length, created: 0 },
    invoices: { created: 0, updated: 0, unchanged: 0 },
    creditNotes: { created: 0, updated: 0, unchanged: 0 },
    payments: { created: 0, updated: 0, unchanged: 0 },
    allocations: { created: 0, removed: 0, kept: 0, partialGroups: ledger.partialGroups },
    flaggedDisappeared: 0,
    restored: 0,
    dueDates: { fromFile: 0, customerTerms: 0, importTerms: 0, organisationTerms: 0 },
    reconciliation: { customers: ledger.customers.length, matched: 0, mismatches: [] },
  };

  const reject = async (): Promise<FecImportSummary> => {
    summary.status = 'rejected';
    // Nothing of the file is kept: every line counts as rejected with it.
    summary.accepted = 0;
    summary.rejected = rowsRead;
    if (!opts.dryRun) {
      await withOrg(db, orgId, (trx) =>
        insertFecImport(trx, orgId, {
          id: importId,
          filename: opts.filename ?? null,
          status: 'rejected',
          rowsRead,
          accepted: 0,
          rejected: rowsRead,
          summary: { ...summary, errors: summary.errors.slice(0, 1000) },
        }),
      );
    }
    return summary;
  };
  if (errors.length > 0 || ledger.unbalanced.length > 0) return reject();

  let mismatch = false;
  try {
    await withOrg(db, orgId, async (trx) => {
      await writeLedger(trx, orgId, importId, defaults.currency, defaults.termsDays, opts, ledger, summary);
      if (summary.reconciliation.mismatches.length > 0) {
        mismatch = true;
        throw new Rollback();
      }
      if (opts.dryRun) throw new Rollback();
      await insertFecImport(trx, orgId, {
        id: importId,
        filename: opts.filename ?? null,
        status: 'committed',
        rowsRead,
        accepted: summary.accepted,
        rejected: summary.rejected,
        summary,
      });
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  if (mismatch) return reject();
  return summary;
}

async function writeLedger(
  trx: Kysely<Database>,
  orgId: string,
  importId: string,
  currency: string,
  orgTermsDays: number,
  opts: FecImportOptions,
  ledger: ReturnType<LedgerBuilder['build']>,
  summary: FecImportSummary,
): Promise<void> {
  const { rows: customerRows, created } = await ensureFecCustomers(
    trx,
    orgId,
    ledger.customers.map((c) => c.ref),
    ledger.customers.map((c) => c.name),
    currency,
  );
  summary.customers.created = created;
  const customerByRef = new Map(customerRows.map((c) => [c.ref, c]));

  const existing = new Map((await loadFecItems(trx, orgId)).map((e) => [e.key, e]));
  const inFile = new Set<string>();
  const fresh: Record<FecItemKind, LedgerItem[]> = { invoice: [], credit_note: [], payment: [] };
  const changed: LedgerItem[] = [];
  const back: string[] = [];
  const counts = (k: FecItemKind): Counts =>
    k === 'invoice' ? summary.invoices : k === 'credit_note' ? summary.creditNotes : summary.payments;
  for (const it of ledger.items) {
    inFile.add(it.key);
    const e = existing.get(it.key);
    if (!e) {
      fresh[it.kind].push(it);
      counts(it.kind).created++;
    } else if (e.kind !== it.kind) {
      throw new AppError(
        'VALIDATION',
        `Line ${it.line} (${it.key}) was a ${e.kind} in an earlier import and is now a ${it.kind}: the books changed side`,
        [{ line: it.line, reason: `was a ${e.kind}, now a ${it.kind}` }],
      );
    } else {
      if (e.amountMinor !== it.amountMinor || e.letter !== it.letter) {
        changed.push(it);
        if (e.amountMinor !== it.amountMinor) counts(it.kind).updated++;
        else counts(it.kind).unchanged++;
      } else counts(it.kind).unchanged++;
      if (e.disappeared) back.push(it.key);
    }
  }
  const gone = [...existing.values()].filter((e) => !e.disappeared && !inFile.has(e.key)).map((e) => e.key);
  summary.flaggedDisappeared = gone.length;
  summary.restored = back.length;

  for (const kind of ['invoice', 'credit_note', 'payment'] as const) {
    const list = fresh[kind];
    if (list.length === 0) continue;
    const taken = await takenNumbers(
      trx,
      orgId,
      kind,
      list.map((i) => i.number),
    );
    const n: NewItems = {
      keys: [],
      numbers: [],
      customerIds: [],
      dates: [],
      dueDates: [],
      amounts: [],
      descriptions: [],
      methods: [],
      letters: [],
    };
    for (const it of list) {
      const cu = customerByRef.get(it.customerRef);
      if (!cu) throw new AppError('INTERNAL', `customer ${it.customerRef} was not created`);
      let due: string | null = null;
      if (kind === 'invoice') {
        if (it.dueDate) {
          due = it.dueDate;
          if (it.dueDate < it.date) {
            due = it.date;
            summary.warnings.push({
              line: it.line,
              reason: `DateRglt ${it.dueDate} is before the invoice date ${it.date}: due on the invoice date`,
            });
          }
          summary.dueDates.fromFile++;
        } else if (cu.termsDays !== null) {
          due = addDays(it.date, cu.termsDays);
          summary.dueDates.customerTerms++;
        } else if (opts.termsDays !== undefined) {
          due = addDays(it.date, opts.termsDays);
          summary.dueDates.importTerms++;
        } else {
          due = addDays(it.date, orgTermsDays);
          summary.dueDates.organisationTerms++;
        }
      }
      n.keys.push(it.key);
      // A number another source already uses gets the line's key appended, never a clash.
      n.numbers.push(taken.has(it.number) ? `${it.number} (FEC ${it.key})` : it.number);
      n.customerIds.push(cu.id);
      n.dates.push(it.date);
      n.dueDates.push(due);
      n.amounts.push(it.amountMinor);
      n.descriptions.push(it.description);
      n.methods.push(methodOf(it));
      n.letters.push(it.letter);
    }
    for (let i = 0; i < n.keys.length; i += 5_000) {
      const part = Object.fromEntries(
        Object.entries(n).map(([k, v]: [string, unknown[]]) => [k, v.slice(i, i + 5_000)]),
      ) as unknown as NewItems;
      await insertFecEntities(trx, orgId, importId, kind, currency, part);
    }
  }
  await updateFecItems(
    trx,
    orgId,
    importId,
    changed.map((c) => c.key),
    changed.map((c) => c.amountMinor),
    changed.map((c) => c.letter),
  );
  await setDisappeared(trx, orgId, gone, back);

  // Allocations follow the lettering of this file; those touching a line that left the books
  // are kept as they were (flagged with the line), those recorded outside the FEC untouched.
  const desired = new Map<string, number>();
  for (const a of ledger.allocations) desired.set(`${a.debitKey}\u0001${a.creditKey}`, a.amountMinor);
  const remove: string[] = [];
  const have = new Set<string>();
  for (const a of await loadFecAllocations(trx, orgId)) {
    const k = `${a.debitKey}\u0001${a.creditKey}`;
    if (a.stale) {
      summary.allocations.kept++;
      continue;
    }
    if (desired.get(k) === a.amountMinor && !have.has(k)) {
      have.add(k);
      summary.allocations.kept++;
    } else remove.push(a.id);
  }
  const customersOfRemoved = await deleteAllocationsById(trx, orgId, remove);
  const touched = new Set<string>();
  summary.allocations.removed = remove.length;
  const add = ledger.allocations.filter((a) => !have.has(`${a.debitKey}\u0001${a.creditKey}`));
  for (let i = 0; i < add.length; i += 5_000) {
    const part = add.slice(i, i + 5_000);
    const ids = await insertFecAllocations(
      trx,
      orgId,
      part.map((a) => a.debitKey),
      part.map((a) => a.creditKey),
      part.map((a) => a.amountMinor),
    );
    for (const id of ids) touched.add(id);
  }
  summary.allocations.created = add.length;

  // Balances move only where allocations or amounts changed: new rows are written with their
  // balance (invoice: gross; payment, credit note: all unallocated), so a no-op re-import
  // refreshes nothing.
  const invoiceIds = [...touched];
  for (let i = 0; i < invoiceIds.length; i += 5_000) {
    await refreshBalances(trx, orgId, { invoiceIds: invoiceIds.slice(i, i + 5_000) });
  }
  const changedCustomers = [
    ...new Set([
      ...customersOfRemoved,
      ...changed.map((c) => customerByRef.get(c.customerRef)?.id ?? '').filter(Boolean),
    ]),
  ];
  for (let i = 0; i < changedCustomers.length; i += 5_000) {
    await refreshBalances(trx, orgId, { customerIds: changedCustomers.slice(i, i + 5_000) });
  }

  const open = await openByCustomer(
    trx,
    orgId,
    ledger.customers.map((c) => c.ref),
  );
  for (const c of ledger.customers) {
    const held = open.get(c.ref) ?? 0;
    if (held === c.balanceMinor) summary.reconciliation.matched++;
    else
      summary.reconciliation.mismatches.push({
        customerRef: c.ref,
        customerName: c.name,
        booksMinor: c.balanceMinor,
        relanceMinor: held,
      });
  }
}
