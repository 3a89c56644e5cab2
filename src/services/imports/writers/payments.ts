import { customerIdsByRef, invoicesByNumber } from '../../../db/queries/imports.js';
import { upsertBatch } from '../../../db/queries/ledger-writes.js';
import type { RowError } from '../../../domain/import/row.js';
import { type PaymentRecord, validatePayment } from '../../../domain/import/validate.js';
import { allocateBatch } from './allocate-batch.js';
import { type EntityHandler, has, rowError, unknownCustomer } from './context.js';

/**
 * Payments settle the invoices they name, oldest due first (Code civil art. 1342-10);
 * a payment naming none stays unallocated credit on the customer unless the organisation
 * chose automatic allocation, which settles the customer's oldest open invoices.
 */
export const paymentsHandler: EntityHandler<PaymentRecord> = {
  keyField: 'paymentReference',
  validate: validatePayment,
  async write(trx, ctx, rows, checkOnly) {
    const customers = await customerIdsByRef(trx, ctx.orgId, [...new Set(rows.map((r) => r.customerRef))]);
    const invoices = await invoicesByNumber(trx, ctx.orgId, [
      ...new Set(rows.flatMap((r) => r.invoiceNumbers)),
    ]);
    const errors: RowError[] = [];
    const ok: PaymentRecord[] = [];
    for (const r of rows) {
      const customerId = customers.get(r.customerRef);
      if (!customerId) {
        errors.push(unknownCustomer(ctx, r.line, r.customerRef));
        continue;
      }
      const before = errors.length;
      for (const n of r.invoiceNumbers) {
        const inv = invoices.get(n);
        if (!inv) errors.push(rowError(ctx, r.line, 'invoiceNumbers', n, 'unknown invoice number'));
        else if (inv.customerId !== customerId) {
          errors.push(rowError(ctx, r.line, 'invoiceNumbers', n, `invoice ${n} belongs to another customer`));
        } else if (inv.currency !== r.currency) {
          errors.push(
            rowError(
              ctx,
              r.line,
              'invoiceNumbers',
              n,
              `invoice ${n} is in ${inv.currency}, the payment in ${r.currency}`,
            ),
          );
        }
      }
      if (errors.length === before) ok.push(r);
    }
    if (checkOnly || ok.length === 0) return { created: 0, updated: 0, unchanged: 0, errors };
    const col = <K extends keyof PaymentRecord>(k: K) => ok.map((r) => r[k]);
    const result = await upsertBatch(trx, ctx.orgId, ctx.batchId, ctx.actor, {
      table: 'payments',
      entity: 'payment',
      key: 'payment_reference',
      hasUpdatedAt: false,
      hasBatchColumn: true,
      insertExtras: { unallocated_minor: 's.amount_minor' },
      columns: [
        { name: 'payment_reference', type: 'text', values: col('paymentReference'), update: false },
        {
          name: 'customer_id',
          type: 'uuid',
          values: ok.map((r) => customers.get(r.customerRef)),
          update: true,
        },
        { name: 'received_on', type: 'date', values: col('receivedOn'), update: true },
        { name: 'currency', type: 'text', values: col('currency'), update: true },
        { name: 'amount_minor', type: 'bigint', values: col('amount'), update: true },
        { name: 'method', type: 'text', values: col('method'), update: has(ctx, 'method') },
        {
          name: 'bank_reference',
          type: 'text',
          values: col('bankReference'),
          update: has(ctx, 'bankReference'),
        },
      ],
    });
    const byRef = new Map(ok.map((r) => [r.paymentReference, r]));
    await allocateBatch(
      trx,
      ctx.orgId,
      'payment',
      result.rows.map((row) => {
        const r = byRef.get(row.key) as PaymentRecord;
        return {
          id: row.id,
          customerId: customers.get(r.customerRef) as string,
          amount: r.amount,
          currency: r.currency,
          invoiceNumbers: r.invoiceNumbers,
          replaced: !row.inserted,
        };
      }),
      ctx.autoAllocate,
    );
    return { created: result.created, updated: result.updated, unchanged: result.unchanged, errors };
  },
};
