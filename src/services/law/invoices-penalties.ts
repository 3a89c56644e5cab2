import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import { listRateRows } from '../../db/queries/rates.js';
import { interestStopDates } from '../../db/queries/solvency.js';
import type { Database } from '../../db/schema/index.js';
import { type IsoDate, maxDate, minDate } from '../../domain/calendar/index.js';
import { computePenalties } from '../../domain/law/penalties.js';
import { builtInRates, mergeRates } from '../../domain/law/rate-table.js';
import type { PenaltyStatement } from '../../domain/law/types.js';
import { AppError, notFound } from '../../errors.js';

export interface InvoicePenaltyOptions {
  noticeDate?: IsoDate;
  waivePenalties?: boolean;
  waiveIndemnity?: boolean;
}

/** Each invoice's statement, or the AppError that says why it has none (one bad invoice does not sink the rest). */
export type InvoicePenaltyResult = { ok: true; statement: PenaltyStatement } | { ok: false; error: AppError };

/**
 * The statements of many ledger invoices to `until`, with three queries whatever their
 * number: the invoices (with customer kind and organisation rate), their dated allocations,
 * and the rate rows, loaded once for all. Same rules as one invoice at a time: the
 * jurisdiction and contractual rate come from the organisation, the debtor kind from the
 * customer, the payments from the allocations (dated by the payment's receipt). Credit
 * notes and write-offs reduce the claimed principal from the start: they correct the
 * invoice, they are not late payments.
 */
export async function computeInvoicesPenalties(
  db: Kysely<Database>,
  orgId: string,
  invoiceIds: readonly string[],
  until: IsoDate,
  opts: InvoicePenaltyOptions = {},
): Promise<Map<string, InvoicePenaltyResult>> {
  const results = new Map<string, InvoicePenaltyResult>();
  const ids = [...new Set(invoiceIds)];
  if (ids.length === 0) return results;
  const { invoices, payments, rows, stops } = await withOrg(db, orgId, async (trx) => {
    const invoices = await trx
      .selectFrom('invoices as i')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.org_id', '=', 'i.org_id').onRef('c.id', '=', 'i.customer_id'),
      )
      .innerJoin('organisations as o', 'o.id', 'i.org_id')
      .select([
        'i.id',
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
      .where('i.id', 'in', ids)
      .execute();
    const payments = await trx
      .selectFrom('allocations as a')
      .innerJoin('payments as p', (j) =>
        j.onRef('p.org_id', '=', 'a.org_id').onRef('p.id', '=', 'a.payment_id'),
      )
      .select(['a.invoice_id', 'p.received_on', 'a.amount_minor'])
      .where('a.org_id', '=', orgId)
      .where('a.invoice_id', 'in', ids)
      .where('p.received_on', '<=', until)
      .orderBy('p.received_on')
      .execute();
    const stops = await interestStopDates(trx, orgId, ids);
    return { invoices, payments, rows: await listRateRows(trx, orgId), stops };
  });
  const rates = rows.length > 0 ? mergeRates(rows) : builtInRates();
  const paymentsOf = new Map<string, typeof payments>();
  for (const p of payments) paymentsOf.set(p.invoice_id, [...(paymentsOf.get(p.invoice_id) ?? []), p]);
  const byId = new Map(invoices.map((i) => [i.id, i]));
  for (const id of ids) {
    const invoice = byId.get(id);
    if (!invoice) {
      results.set(id, { ok: false, error: notFound('invoice', id) });
      continue;
    }
    const principal = invoice.gross_minor - invoice.credited_minor - invoice.written_off_minor;
    if (principal <= 0) {
      const error = new AppError(
        'UNPROCESSABLE',
        `invoice ${invoice.invoice_number}: nothing is claimed (credited or written off)`,
      );
      results.set(id, { ok: false, error });
      continue;
    }
    try {
      const statement = computePenalties(
        {
          jurisdiction: invoice.jurisdiction,
          kind: invoice.kind,
          principal: { amount: principal, currency: invoice.currency },
          dueDate: invoice.due_date,
          // L622-28 C. com.: the opening judgment stops interest on claims born before it.
          until: stops.has(id) ? maxDate(invoice.due_date, minDate(until, stops.get(id) as string)) : until,
          payments: (paymentsOf.get(id) ?? [])
            .filter((p) => p.amount_minor > 0)
            .map((p) => ({
              date: p.received_on,
              amount: { amount: p.amount_minor, currency: invoice.currency },
            })),
          ...(invoice.late_penalty_rate !== null
            ? { contractualRate: String(invoice.late_penalty_rate) }
            : {}),
          ...opts,
        },
        rates,
      );
      results.set(id, { ok: true, statement });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.set(id, { ok: false, error: err });
    }
  }
  return results;
}
