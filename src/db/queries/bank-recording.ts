import { type Insertable, type Kysely, sql } from 'kysely';
import type { BankStatementLinesTable, Database } from '../schema/index.js';

/**
 * Set-based writes of a bank import: whatever the number of lines, a handful of statements
 * (payments, allocations, write-offs, history, lines) in chunks, instead of ten statements
 * per payment. Balances are refreshed once afterwards by the caller (refreshBalances).
 */
const CHUNK = 5000;

function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export interface BankPaymentWrite {
  paymentId: string;
  customerId: string;
  paymentReference: string;
  receivedOn: string;
  currency: string;
  amountMinor: number;
  bankReference: string | null;
  allocations: { invoiceId: string; amountMinor: number }[];
}

export async function insertBankPayments(
  db: Kysely<Database>,
  orgId: string,
  rows: readonly BankPaymentWrite[],
  actor: string,
): Promise<void> {
  for (const part of chunks(rows)) {
    const unallocated = part.map((p) => p.amountMinor - p.allocations.reduce((s, a) => s + a.amountMinor, 0));
    await sql`
      insert into payments (org_id, id, customer_id, payment_reference, received_on, currency, amount_minor,
        method, unallocated_minor, bank_reference)
      select ${orgId}::uuid, s.id, s.customer_id, s.ref, s.received_on, s.currency, s.amount, 'transfer', s.unallocated, s.bank_ref
      from unnest(${part.map((p) => p.paymentId)}::uuid[], ${part.map((p) => p.customerId)}::uuid[],
        ${part.map((p) => p.paymentReference)}::text[], ${part.map((p) => p.receivedOn)}::date[],
        ${part.map((p) => p.currency)}::text[], ${part.map((p) => p.amountMinor)}::bigint[],
        ${unallocated}::bigint[], ${part.map((p) => p.bankReference)}::text[])
        as s(id, customer_id, ref, received_on, currency, amount, unallocated, bank_ref)
    `.execute(db);
    const allocs = part.flatMap((p) => p.allocations.map((a) => ({ paymentId: p.paymentId, ...a })));
    for (const a of chunks(allocs)) {
      await sql`
        insert into allocations (org_id, invoice_id, payment_id, amount_minor)
        select ${orgId}::uuid, s.invoice_id, s.payment_id, s.amount
        from unnest(${a.map((x) => x.invoiceId)}::uuid[], ${a.map((x) => x.paymentId)}::uuid[], ${a.map((x) => x.amountMinor)}::bigint[])
          as s(invoice_id, payment_id, amount)
      `.execute(db);
    }
    await sql`
      insert into ledger_history (org_id, entity, entity_id, action, changes, actor)
      select ${orgId}::uuid, 'payment', s.id, 'created', s.changes, ${actor}
      from unnest(${part.map((p) => p.paymentId)}::uuid[], ${part.map((p) =>
        JSON.stringify({
          amount_minor: p.amountMinor,
          currency: p.currency,
          source: 'bank',
          allocations: p.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amountMinor })),
        }),
      )}::jsonb[]) as s(id, changes)
    `.execute(db);
  }
}

export interface WriteOff {
  bankLineId: string;
  invoiceId: string;
  amountMinor: number;
  currency: string;
  reason: string;
}

/** Short payments within the tolerance: the difference is written off the invoice, with its reason. */
export async function insertWriteOffs(
  db: Kysely<Database>,
  orgId: string,
  rows: readonly WriteOff[],
): Promise<void> {
  for (const part of chunks(rows)) {
    await sql`
      update invoices i set written_off_minor = i.written_off_minor + s.amount
      from (
        select invoice_id, sum(amount)::bigint as amount
        from unnest(${part.map((w) => w.invoiceId)}::uuid[], ${part.map((w) => w.amountMinor)}::bigint[]) as u(invoice_id, amount)
        group by invoice_id
      ) s
      where i.org_id = ${orgId} and i.id = s.invoice_id
    `.execute(db);
    await db
      .insertInto('bank_line_adjustments')
      .values(
        part.map((w) => ({
          org_id: orgId,
          bank_line_id: w.bankLineId,
          invoice_id: w.invoiceId,
          kind: 'write_off' as const,
          reason: w.reason,
          currency: w.currency,
          amount_minor: w.amountMinor,
        })),
      )
      .execute();
  }
}

export async function insertBankLines(
  db: Kysely<Database>,
  rows: readonly Insertable<BankStatementLinesTable>[],
): Promise<void> {
  // 21 columns a row: 1,000 rows stay far below the 65,535 bind parameters of a statement.
  for (const part of chunks(rows, 1000)) await db.insertInto('bank_statement_lines').values(part).execute();
}
