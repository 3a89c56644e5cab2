import { type Kysely, sql } from 'kysely';
import { withOrg } from '../db/connection.js';
import { refreshBalances } from '../db/queries/balances.js';
import type { Database, DisputeReasonCode } from '../db/schema/index.js';
import type { IsoDate } from '../domain/calendar/index.js';
import { openDisputes } from '../services/disputes/open-disputes.js';
import type { DemoPortfolio } from './types.js';

/** Reasons the demo's disputes cycle through (deterministic, no draw from the generator). */
const DEMO_DISPUTE_REASONS: DisputeReasonCode[] = [
  'quality',
  'not_received',
  'price',
  'quantity',
  'contract',
];

/** Rows per INSERT … SELECT FROM unnest(…): each column travels as one array parameter. */
const BATCH = 5_000;

type Column<T> = readonly [name: string, type: string, get: (row: T) => unknown];

export interface WriteCounts {
  customers: number;
  contacts: number;
  invoices: number;
  instalments: number;
  creditNotes: number;
  payments: number;
  allocations: number;
}

/**
 * Insert `rows` in batches with one statement per batch. ON CONFLICT DO NOTHING: the
 * generator's ids are deterministic, so writing the same portfolio twice adds nothing.
 */
async function insertAll<T>(
  trx: Kysely<Database>,
  orgId: string,
  table: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  onBatch?: (n: number) => void,
): Promise<number> {
  let inserted = 0;
  const names = sql.raw(['org_id', ...columns.map(([n]) => n)].join(', '));
  for (let from = 0; from < rows.length; from += BATCH) {
    const batch = rows.slice(from, from + BATCH);
    const arrays = columns.map(([, type, get]) => sql`${batch.map(get)}::${sql.raw(type)}[]`);
    const r = await sql`
      insert into ${sql.table(table)} (${names})
      select ${orgId}::uuid, u.* from unnest(${sql.join(arrays)}) as u
      on conflict do nothing
    `.execute(trx);
    inserted += Number(r.numAffectedRows ?? 0n);
    onBatch?.(batch.length);
  }
  return inserted;
}

const TABLES = 'customers, contacts, invoices, invoice_instalments, credit_notes, payments, allocations';

/**
 * Write a generated portfolio into one organisation, set-based, in one transaction under
 * row-level security, then derive every balance once from the allocations.
 */
export async function writePortfolio(
  db: Kysely<Database>,
  orgId: string,
  p: DemoPortfolio,
  opts: { onProgress?: (rowsWritten: number) => void; today?: IsoDate } = {},
): Promise<WriteCounts> {
  let written = 0;
  const onBatch = (n: number) => {
    written += n;
    opts.onProgress?.(written);
  };
  const run = async (tx: Kysely<Database>) => {
    const counts = await withOrg(tx, orgId, (trx) => insertPortfolio(trx, orgId, p, onBatch));
    // Fresh tables have no statistics: without them the planner picks nested loops for the
    // balance refresh over hundreds of thousands of rows. ANALYZE needs the table owner,
    // so leave the tenant role for it, in the same transaction.
    await sql`reset role`.execute(tx);
    await sql.raw(`analyze ${TABLES}`).execute(tx);
    await withOrg(tx, orgId, (trx) => refreshBalances(trx, orgId, { all: true }));
    // The generator's disputed invoices are opened through the one dispute use case (the
    // dispute, the flag, the collector's task), as the portal and the collector open them.
    const disputed = p.invoices.filter((i) => i.disputed);
    await withOrg(tx, orgId, (trx) =>
      openDisputes(
        trx,
        orgId,
        disputed.map((i, n) => ({
          invoiceId: i.id,
          reasonCode: DEMO_DISPUTE_REASONS[n % DEMO_DISPUTE_REASONS.length] ?? 'other',
          comment: null,
        })),
        { openedBy: 'demo', source: 'demo', today: opts.today ?? new Date().toISOString().slice(0, 10) },
      ),
    );
    return counts;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

async function insertPortfolio(
  trx: Kysely<Database>,
  orgId: string,
  p: DemoPortfolio,
  onBatch: (n: number) => void,
): Promise<WriteCounts> {
  const counts: WriteCounts = {
    customers: await insertAll(
      trx,
      orgId,
      'customers',
      [
        ['id', 'uuid', (c) => c.id],
        ['external_ref', 'text', (c) => c.externalRef],
        ['name', 'text', (c) => c.name],
        ['kind', 'text', (c) => c.kind],
        ['siren', 'text', (c) => c.siren],
        ['siret', 'text', (c) => c.siret],
        ['vat_number', 'text', (c) => c.vatNumber],
        ['address_line1', 'text', (c) => c.addressLine1],
        ['postal_code', 'text', (c) => c.postalCode],
        ['city', 'text', (c) => c.city],
        ['segment', 'text', (c) => c.segment],
        ['credit_limit_minor', 'bigint', (c) => c.creditLimitMinor],
        ['currency', 'text', (c) => c.currency],
        ['language', 'text', (c) => c.language],
        ['assigned_collector', 'text', (c) => c.assignedCollector],
        ['payment_terms_days', 'int4', (c) => c.paymentTermsDays],
        ['notes', 'text', (c) => c.notes],
      ],
      p.customers,
      onBatch,
    ),
    contacts: await insertAll(
      trx,
      orgId,
      'contacts',
      [
        ['id', 'uuid', (c) => c.id],
        ['customer_id', 'uuid', (c) => c.customerId],
        ['name', 'text', (c) => c.name],
        ['role', 'text', (c) => c.role],
        ['email', 'text', (c) => c.email],
        ['phone', 'text', (c) => c.phone],
        ['preferred_channel', 'text', (c) => c.preferredChannel],
        ['language', 'text', (c) => c.language],
        ['consent_email', 'bool', (c) => c.consentEmail],
        ['consent_sms', 'bool', (c) => c.consentSms],
        ['is_primary', 'bool', (c) => c.isPrimary],
      ],
      p.contacts,
      onBatch,
    ),
    invoices: await insertAll(
      trx,
      orgId,
      'invoices',
      [
        ['id', 'uuid', (i) => i.id],
        ['customer_id', 'uuid', (i) => i.customerId],
        ['invoice_number', 'text', (i) => i.invoiceNumber],
        ['issue_date', 'date', (i) => i.issueDate],
        ['due_date', 'date', (i) => i.dueDate],
        ['performance_date', 'date', (i) => i.performanceDate],
        ['currency', 'text', (i) => i.currency],
        ['net_minor', 'bigint', (i) => i.netMinor],
        ['tax_minor', 'bigint', (i) => i.taxMinor],
        ['gross_minor', 'bigint', (i) => i.grossMinor],
        // Balance starts at the gross amount; refreshBalances derives the rest below.
        ['balance_minor', 'bigint', (i) => i.grossMinor],
        ['payment_terms', 'text', (i) => i.paymentTerms],
        ['po_reference', 'text', (i) => i.poReference],
        ['description', 'text', (i) => i.description],
      ],
      p.invoices,
      onBatch,
    ),
    instalments: await insertAll(
      trx,
      orgId,
      'invoice_instalments',
      [
        ['invoice_id', 'uuid', (i) => i.invoiceId],
        ['seq', 'int4', (i) => i.seq],
        ['due_date', 'date', (i) => i.dueDate],
        ['amount_minor', 'bigint', (i) => i.amountMinor],
      ],
      p.instalments,
      onBatch,
    ),
    creditNotes: await insertAll(
      trx,
      orgId,
      'credit_notes',
      [
        ['id', 'uuid', (c) => c.id],
        ['customer_id', 'uuid', (c) => c.customerId],
        ['credit_note_number', 'text', (c) => c.creditNoteNumber],
        ['invoice_id', 'uuid', (c) => c.invoiceId],
        ['issue_date', 'date', (c) => c.issueDate],
        ['currency', 'text', (c) => c.currency],
        ['net_minor', 'bigint', (c) => c.netMinor],
        ['tax_minor', 'bigint', (c) => c.taxMinor],
        ['gross_minor', 'bigint', (c) => c.grossMinor],
        ['reason', 'text', (c) => c.reason],
      ],
      p.creditNotes,
      onBatch,
    ),
    payments: await insertAll(
      trx,
      orgId,
      'payments',
      [
        ['id', 'uuid', (x) => x.id],
        ['customer_id', 'uuid', (x) => x.customerId],
        ['payment_reference', 'text', (x) => x.paymentReference],
        ['received_on', 'date', (x) => x.receivedOn],
        ['currency', 'text', (x) => x.currency],
        ['amount_minor', 'bigint', (x) => x.amountMinor],
        ['method', 'text', (x) => x.method],
        ['bank_reference', 'text', (x) => x.bankReference],
      ],
      p.payments,
      onBatch,
    ),
    allocations: await insertAll(
      trx,
      orgId,
      'allocations',
      [
        ['id', 'uuid', (a) => a.id],
        ['invoice_id', 'uuid', (a) => a.invoiceId],
        ['payment_id', 'uuid', (a) => a.paymentId],
        ['credit_note_id', 'uuid', (a) => a.creditNoteId],
        ['amount_minor', 'bigint', (a) => a.amountMinor],
      ],
      p.allocations,
      onBatch,
    ),
  };
  return counts;
}

/** Rows a portfolio writes, for progress bars. */
export function portfolioRowCount(p: DemoPortfolio): number {
  return (
    p.customers.length +
    p.contacts.length +
    p.invoices.length +
    p.instalments.length +
    p.creditNotes.length +
    p.payments.length +
    p.allocations.length
  );
}
