import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';

/** An invoice still carrying a balance, with the figures the law engine needs. */
export interface CaseInvoice {
  id: string;
  invoice_number: string;
  issue_date: string;
  due_date: string;
  performance_date: string | null;
  currency: string;
  gross_minor: number;
  paid_minor: number;
  credited_minor: number;
  written_off_minor: number;
  balance_minor: number;
  disputed: boolean;
  status: string;
}

export interface CasePayment {
  invoice_id: string;
  received_on: string;
  payment_reference: string;
  amount_minor: number;
}

/**
 * A customer's open invoices (balance > 0), oldest due first. Disputed ones are included
 * with their flag: the use case decides what to claim, the query only reads.
 */
export function listOpenInvoicesOfCustomer(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
): Promise<CaseInvoice[]> {
  return db
    .selectFrom('invoices')
    .select([
      'id',
      'invoice_number',
      'issue_date',
      'due_date',
      'performance_date',
      'currency',
      'gross_minor',
      'paid_minor',
      'credited_minor',
      'written_off_minor',
      'balance_minor',
      'disputed',
      'status',
    ])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('balance_minor', '>', 0)
    .orderBy('due_date')
    .orderBy('invoice_number')
    .execute();
}

/** Payments allocated to these invoices and received on or before `until`, by date. */
export async function listPaymentsOnInvoices(
  db: Kysely<Database>,
  orgId: string,
  invoiceIds: string[],
  until: string,
): Promise<CasePayment[]> {
  if (invoiceIds.length === 0) return [];
  return db
    .selectFrom('allocations as a')
    .innerJoin('payments as p', (j) =>
      j.onRef('p.org_id', '=', 'a.org_id').onRef('p.id', '=', 'a.payment_id'),
    )
    .select(['a.invoice_id', 'p.received_on', 'p.payment_reference', 'a.amount_minor'])
    .where('a.org_id', '=', orgId)
    .where('a.invoice_id', 'in', invoiceIds)
    .where('p.received_on', '<=', until)
    .orderBy('p.received_on')
    .orderBy('p.payment_reference')
    .execute();
}

export function findCustomerByRef(db: Kysely<Database>, orgId: string, externalRef: string) {
  return db
    .selectFrom('customers')
    .select(['id', 'external_ref', 'name'])
    .where('org_id', '=', orgId)
    .where('external_ref', '=', externalRef)
    .executeTakeFirst();
}

/**
 * The documents of a case with their bytes: those attached to the customer itself (contracts,
 * letters sent) and those attached to the given invoices, in creation order.
 */
export function listCaseDocuments(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  invoiceIds: string[],
) {
  return db
    .selectFrom('documents')
    .select([
      'id',
      'customer_id',
      'invoice_id',
      'kind',
      'filename',
      'mime_type',
      'size_bytes',
      'sha256',
      'content',
      'created_at',
    ])
    .where('org_id', '=', orgId)
    .where((eb) =>
      invoiceIds.length > 0
        ? eb.or([eb('customer_id', '=', customerId), eb('invoice_id', 'in', invoiceIds)])
        : eb('customer_id', '=', customerId),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
