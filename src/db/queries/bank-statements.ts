import { type Kysely, type Selectable, sql } from 'kysely';
import type { CustomerIdentity, KnownReference, OpenInvoice } from '../../domain/matching/index.js';
import type { BankStatementLinesTable, Database } from '../schema/index.js';

export type BankStatementLine = Selectable<BankStatementLinesTable>;

/** Which of these line keys were imported before (re-importing a statement is a no-op). */
export async function existingLineKeys(
  db: Kysely<Database>,
  orgId: string,
  keys: string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const r = await db
    .selectFrom('bank_statement_lines')
    .select('line_key')
    .where('org_id', '=', orgId)
    .where('line_key', 'in', keys)
    .execute();
  return new Set(r.map((x) => x.line_key));
}

/**
 * What the matcher needs, set-based: open undisputed invoices (recordPayment allocates to
 * nothing else), customers with the IBANs they paid from before, and the RF references the
 * portal issued.
 */
export async function loadMatchingContext(
  db: Kysely<Database>,
  orgId: string,
): Promise<{ invoices: OpenInvoice[]; customers: CustomerIdentity[]; references: KnownReference[] }> {
  const [invoices, customers, ibans, refs] = await Promise.all([
    db
      .selectFrom('invoices')
      .select(['id', 'invoice_number', 'customer_id', 'balance_minor', 'currency', 'due_date'])
      .where('org_id', '=', orgId)
      .where('balance_minor', '>', 0)
      .where('disputed', '=', false)
      .where('status', '<>', 'written_off')
      .execute(),
    db.selectFrom('customers').select(['id', 'name']).where('org_id', '=', orgId).execute(),
    sql<{ customer_id: string; iban: string }>`
      select distinct customer_id, counterparty_iban as iban from bank_statement_lines
      where org_id = ${orgId} and customer_id is not null and counterparty_iban is not null
    `.execute(db),
    db
      .selectFrom('portal_references')
      .select(['reference', 'customer_id', 'kind', 'invoice_ids'])
      .where('org_id', '=', orgId)
      .execute(),
  ]);
  const ibansBy = new Map<string, string[]>();
  for (const r of ibans.rows) ibansBy.set(r.customer_id, [...(ibansBy.get(r.customer_id) ?? []), r.iban]);
  return {
    invoices: invoices.map((i) => ({
      invoiceId: i.id,
      invoiceNumber: i.invoice_number,
      customerId: i.customer_id,
      balanceDue: { amount: Number(i.balance_minor), currency: i.currency.trim() },
      dueDate: i.due_date,
    })),
    customers: customers.map((c) => ({ customerId: c.id, name: c.name, ibans: ibansBy.get(c.id) ?? [] })),
    references: refs.map((r) => ({
      reference: r.reference,
      customerId: r.customer_id,
      ...(r.kind === 'selection' ? { invoiceIds: r.invoice_ids } : {}),
    })),
  };
}

export function listBankLines(
  db: Kysely<Database>,
  orgId: string,
  f: { status?: BankStatementLine['status']; limit: number; order?: 'date' | 'amount' },
): Promise<BankStatementLine[]> {
  let q = db.selectFrom('bank_statement_lines').selectAll().where('org_id', '=', orgId);
  if (f.status) q = q.where('status', '=', f.status);
  // The review queue works largest amounts first.
  if (f.order === 'amount') return q.orderBy('amount_minor', 'desc').orderBy('id').limit(f.limit).execute();
  return q.orderBy('booking_date', 'desc').orderBy('id').limit(f.limit).execute();
}
