import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';

/**
 * What holds or held a customer's dunning, with how each one ended, for the case actions of
 * the customer file. Newest first, bounded like the rest of the file.
 */
export function casePauses(db: Kysely<Database>, orgId: string, customerId: string) {
  return db
    .selectFrom('dunning_pauses as p')
    .leftJoin('invoices as i', (j) => j.onRef('i.org_id', '=', 'p.org_id').onRef('i.id', '=', 'p.invoice_id'))
    .select([
      'p.id',
      'p.invoice_id',
      'i.invoice_number',
      'p.reason',
      'p.until',
      'p.created_by',
      sql<Date>`p.created_at`.as('created_at'),
      sql<Date | null>`p.cancelled_at`.as('cancelled_at'),
      'p.cancelled_by',
      'p.cancel_reason',
    ])
    .where('p.org_id', '=', orgId)
    .where('p.customer_id', '=', customerId)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id')
    .limit(100)
    .execute();
}

export function casePromises(db: Kysely<Database>, orgId: string, customerId: string) {
  return db
    .selectFrom('promises_to_pay')
    .select([
      'id',
      'invoice_ids',
      'amount_minor',
      'currency',
      'promised_date',
      'grace_days',
      'status',
      'created_by',
      sql<Date>`created_at`.as('created_at'),
      sql<Date | null>`resolved_at`.as('resolved_at'),
      'resolved_by',
      'resolution',
    ])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(100)
    .execute();
}

export function caseDisputes(db: Kysely<Database>, orgId: string, customerId: string) {
  return db
    .selectFrom('disputes as d')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.org_id', '=', 'd.org_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .leftJoin('credit_notes as n', (j) =>
      j.onRef('n.org_id', '=', 'd.org_id').onRef('n.id', '=', 'd.credit_note_id'),
    )
    .select([
      'd.id',
      'd.invoice_id',
      'i.invoice_number',
      'i.balance_minor',
      'i.currency',
      'd.reason_code',
      'd.comment',
      'd.status',
      'd.opened_by',
      sql<Date>`d.opened_at`.as('opened_at'),
      sql<Date | null>`d.resolved_at`.as('resolved_at'),
      'd.resolved_by',
      'd.resolution',
      'd.resolution_comment',
      'n.credit_note_number',
      'n.gross_minor as credit_note_minor',
    ])
    .where('d.org_id', '=', orgId)
    .where('d.customer_id', '=', customerId)
    .orderBy('d.opened_at', 'desc')
    .orderBy('d.id')
    .limit(100)
    .execute();
}
