import type { Kysely } from 'kysely';
import { withOrg } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { isIsoDate } from '../../domain/calendar/dates.js';
import {
  type LettragePayment,
  lettrageCsv,
  lettrageFec,
  lettrageLines,
} from '../../domain/lettrage/index.js';
import { AppError } from '../../errors.js';

/**
 * The allocations of the payments received in [from, to] as lettered payment entries (CSV or
 * FEC-style). Read-only and deterministic: the same period exported twice is the same file.
 */
export async function exportLettrage(
  db: Kysely<Database>,
  orgId: string,
  q: { from: string; to: string; format: 'csv' | 'fec' },
): Promise<{ filename: string; content: string; payments: number; lines: number }> {
  for (const [field, v] of [
    ['from', q.from],
    ['to', q.to],
  ] as const)
    if (!isIsoDate(v))
      throw new AppError('VALIDATION', `${field} must be a date YYYY-MM-DD`, [
        { field, value: v, reason: 'a yyyy-mm-dd date' },
      ]);
  if (q.to < q.from)
    throw new AppError('VALIDATION', 'to is before from', [
      { field: 'to', value: q.to, reason: `on or after ${q.from}` },
    ]);
  return withOrg(db, orgId, async (trx) => {
    const payments = await trx
      .selectFrom('payments as p')
      .innerJoin('customers as c', (j) =>
        j.onRef('c.org_id', '=', 'p.org_id').onRef('c.id', '=', 'p.customer_id'),
      )
      .select([
        'p.id',
        'p.payment_reference',
        'p.received_on',
        'p.currency',
        'p.amount_minor',
        'c.external_ref',
        'c.name',
      ])
      .where('p.org_id', '=', orgId)
      .where('p.received_on', '>=', q.from)
      .where('p.received_on', '<=', q.to)
      .execute();
    const ids = payments.map((p) => p.id);
    const allocations = ids.length
      ? await trx
          .selectFrom('allocations as a')
          .innerJoin('invoices as i', (j) =>
            j.onRef('i.org_id', '=', 'a.org_id').onRef('i.id', '=', 'a.invoice_id'),
          )
          .select(['a.payment_id', 'i.invoice_number', 'i.issue_date', 'a.amount_minor'])
          .where('a.org_id', '=', orgId)
          .where('a.payment_id', 'in', ids)
          .orderBy('i.invoice_number')
          .execute()
      : [];
    const writeOffs = ids.length
      ? await trx
          .selectFrom('bank_line_adjustments as w')
          .innerJoin('bank_statement_lines as l', (j) =>
            j.onRef('l.org_id', '=', 'w.org_id').onRef('l.id', '=', 'w.bank_line_id'),
          )
          .innerJoin('invoices as i', (j) =>
            j.onRef('i.org_id', '=', 'w.org_id').onRef('i.id', '=', 'w.invoice_id'),
          )
          .select(['l.payment_id', 'i.invoice_number', 'w.amount_minor', 'w.reason'])
          .where('w.org_id', '=', orgId)
          .where('w.kind', '=', 'write_off')
          .where('l.payment_id', 'in', ids)
          .execute()
      : [];
    const rows: LettragePayment[] = payments.map((p) => ({
      paymentId: p.id,
      paymentReference: p.payment_reference,
      receivedOn: p.received_on,
      currency: p.currency.trim(),
      amountMinor: Number(p.amount_minor),
      customerRef: p.external_ref,
      customerName: p.name,
      allocations: allocations
        .filter((a) => a.payment_id === p.id)
        .map((a) => ({
          invoiceNumber: a.invoice_number,
          invoiceDate: a.issue_date,
          amountMinor: Number(a.amount_minor),
        })),
      writeOffs: writeOffs
        .filter((w) => w.payment_id === p.id)
        .map((w) => ({
          invoiceNumber: w.invoice_number,
          amountMinor: Number(w.amount_minor),
          reason: w.reason,
        })),
    }));
    const lines = lettrageLines(rows);
    const period = `${q.from.replaceAll('-', '')}-${q.to.replaceAll('-', '')}`;
    return {
      filename: `lettrage-${period}.${q.format === 'csv' ? 'csv' : 'txt'}`,
      content: q.format === 'csv' ? lettrageCsv(lines) : lettrageFec(lines, period),
      payments: rows.length,
      lines: lines.length,
    };
  });
}
