import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema/index.js';

/**
 * The pieces of a customer's file the collector needs beside the ledger, newest first; pauses,
 * promises and disputes with how each one ended (the case actions of the customer file).
 */
export function listPauses(db: Kysely<Database>, orgId: string, customerId: string) {
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

export function listPromises(db: Kysely<Database>, orgId: string, customerId: string) {
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

export function listDisputes(db: Kysely<Database>, orgId: string, customerId: string) {
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

export function listCalls(db: Kysely<Database>, orgId: string, customerId: string) {
  return db
    .selectFrom('call_logs as l')
    .leftJoin('invoices as i', (j) => j.onRef('i.org_id', '=', 'l.org_id').onRef('i.id', '=', 'l.invoice_id'))
    .select([
      'l.id',
      'l.outcome',
      'l.note',
      'l.invoice_id',
      'i.invoice_number',
      'l.promise_id',
      'l.dispute_id',
      'l.logged_by',
      sql<Date>`l.logged_at`.as('logged_at'),
    ])
    .where('l.org_id', '=', orgId)
    .where('l.customer_id', '=', customerId)
    .orderBy('l.logged_at', 'desc')
    .orderBy('l.id')
    .limit(100)
    .execute();
}

export function listCustomerDocuments(db: Kysely<Database>, orgId: string, customerId: string) {
  return db
    .selectFrom('documents')
    .select([
      'id',
      'invoice_id',
      'kind',
      'filename',
      'mime_type',
      'size_bytes',
      sql<Date>`created_at`.as('created_at'),
    ])
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(100)
    .execute();
}

/** The policy the dunning case runs, or the customer's override when no case exists yet. */
export async function policyInForce(db: Kysely<Database>, orgId: string, customerId: string) {
  const r = await sql<{
    policy_key: string | null;
    policy_version: number | null;
    policy_name: string | null;
    case_status: string | null;
    next_action_date: string | null;
    override_key: string | null;
  }>`
    select dc.policy_key, dc.policy_version, p.name as policy_name, dc.status as case_status,
      dc.next_action_date, c.dunning_policy_key as override_key
    from customers c
    left join dunning_cases dc on dc.org_id = c.org_id and dc.customer_id = c.id
    left join dunning_policies p on p.org_id = dc.org_id and p.id = dc.policy_id
    where c.org_id = ${orgId} and c.id = ${customerId}
  `.execute(db);
  return r.rows[0];
}

export interface StatementLine {
  date: string;
  kind: 'invoice' | 'credit_note' | 'payment';
  id: string;
  reference: string;
  currency: string;
  debit_minor: number;
  credit_minor: number;
  /** Running balance of the currency after this line. */
  balance_minor: number;
}

/**
 * Statement of account: every invoice (debit), credit note and payment (credit) of the
 * customer in date order, with the running balance per currency — what the customer's own
 * ledger should show.
 */
export async function customerStatement(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
): Promise<StatementLine[]> {
  const r = await sql<StatementLine>`
    with lines as (
      select issue_date as date, 'invoice' as kind, 0 as ord, id, invoice_number as reference, currency::text as currency,
        gross_minor as debit_minor, 0::bigint as credit_minor
      from invoices where org_id = ${orgId} and customer_id = ${customerId}
      union all
      select issue_date, 'credit_note', 1, id, credit_note_number, currency::text, 0, gross_minor
      from credit_notes where org_id = ${orgId} and customer_id = ${customerId}
      union all
      select received_on, 'payment', 2, id, payment_reference, currency::text, 0, amount_minor
      from payments where org_id = ${orgId} and customer_id = ${customerId}
    )
    select date, kind, id, reference, currency, debit_minor::bigint as debit_minor, credit_minor::bigint as credit_minor,
      (sum(debit_minor - credit_minor) over (partition by currency order by date, ord, reference, id
        rows between unbounded preceding and current row))::bigint as balance_minor
    from lines
    order by currency, date, ord, reference, id
    limit 2000
  `.execute(db);
  return r.rows;
}
