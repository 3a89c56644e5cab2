import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { listRateRows } from '../../db/queries/rates.js';
import type { Database } from '../../db/schema/index.js';
import type { IsoDate } from '../../domain/calendar/index.js';
import { computePenalties } from '../../domain/law/penalties.js';
import { builtInRates, mergeRates } from '../../domain/law/rate-table.js';
import type { PenaltyStatement } from '../../domain/law/types.js';
import { AppError, notFound } from '../../errors.js';

export interface InvoicePenaltyOptions {
  noticeDate?: IsoDate;
  waivePenalties?: boolean;
  waiveIndemnity?: boolean;
}

/**
 * The statement of one ledger invoice to `until`: the jurisdiction and contractual rate come
 * from the organisation, the debtor kind from the customer, the payments from the
 * allocations (dated by the payment's receipt). Credit notes and write-offs reduce the
 * claimed principal from the start: they correct the invoice, they are not late payments.
 */
export async function computeInvoicePenalties(
  db: Kysely<Database>,
  orgId: string,
  invoiceId: string,
  until: IsoDate,
  opts: InvoicePenaltyOptions = {},
): Promise<PenaltyStatement> {
  const { invoice, payments, rows } = await withOrg(db, orgId, async (trx) => {
    const invoice = await trx
      .selectFrom('invoices as i')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.customer_id'),
      )
      .innerJoin('organisations as o', 'o.id', 'i.org_id')
      .select([
        'i.invoice_number',
        'i.due_date',
        'i.currency',
        'i.gross_minor',
        'i.credited_minor',
        'i.written_off_minor',
        'c.kind',
        'o.jurisdiction',
        'o.late_penalty_rate',
      ])
      .where('i.org_id', '=', orgId)
      .where('i.id', '=', invoiceId)
      .executeTakeFirst();
    if (!invoice) throw notFound('invoice', invoiceId);
    const payments = await trx
      .selectFrom('allocations as a')
      .innerJoin('payments as p', (j) =>
        j.onRef('p.org_id', '=', 'a.org_id').onRef('p.id', '=', 'a.payment_id'),
      )
      .select(['p.received_on', 'a.amount_minor'])
      .where('a.org_id', '=', orgId)
      .where('a.invoice_id', '=', invoiceId)
      .where('p.received_on', '<=', until)
      .orderBy('p.received_on')
      .execute();
    return { invoice, payments, rows: await listRateRows(trx, orgId) };
  });
  const principal = invoice.gross_minor - invoice.credited_minor - invoice.written_off_minor;
  if (principal <= 0) {
    throw new AppError(
      'UNPROCESSABLE',
      `invoice ${invoice.invoice_number}: nothing is claimed (credited or written off)`,
    );
  }
  return computePenalties(
    {
      jurisdiction: invoice.jurisdiction,
      kind: invoice.kind,
      principal: { amount: principal, currency: invoice.currency },
      dueDate: invoice.due_date,
      until,
      payments: payments
        .filter((p) => p.amount_minor > 0)
        .map((p) => ({
          date: p.received_on,
          amount: { amount: p.amount_minor, currency: invoice.currency },
        })),
      ...(invoice.late_penalty_rate !== null ? { contractualRate: String(invoice.late_penalty_rate) } : {}),
      ...opts,
    },
    rows.length > 0 ? mergeRates(rows) : builtInRates(),
  );
}
