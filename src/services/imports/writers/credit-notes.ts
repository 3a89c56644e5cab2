import { customerIdsByRef, invoicesByNumber } from '../../../db/queries/imports.js';
import { upsertBatch } from '../../../db/queries/ledger-writes.js';
import type { RowError } from '../../../domain/import/row.js';
import { type CreditNoteRecord, validateCreditNote } from '../../../domain/import/validate.js';
import { allocateBatch } from './allocate-batch.js';
import { type EntityHandler, has, rowError, unknownCustomer } from './context.js';

/** A credit note naming an invoice is allocated to it; otherwise it stays credit on the customer. */
export const creditNotesHandler: EntityHandler<CreditNoteRecord> = {
  keyField: 'creditNoteNumber',
  validate: validateCreditNote,
  async write(trx, ctx, rows, checkOnly) {
    const customers = await customerIdsByRef(trx, ctx.orgId, [...new Set(rows.map((r) => r.customerRef))]);
    const invoices = await invoicesByNumber(trx, ctx.orgId, [
      ...new Set(rows.flatMap((r) => (r.invoiceNumber ? [r.invoiceNumber] : []))),
    ]);
    const errors: RowError[] = [];
    const ok: CreditNoteRecord[] = [];
    for (const r of rows) {
      const customerId = customers.get(r.customerRef);
      if (!customerId) {
        errors.push(unknownCustomer(ctx, r.line, r.customerRef));
        continue;
      }
      if (r.invoiceNumber) {
        const inv = invoices.get(r.invoiceNumber);
        const n = r.invoiceNumber;
        if (!inv) {
          errors.push(rowError(ctx, r.line, 'invoiceNumber', n, 'unknown invoice number'));
          continue;
        }
        if (inv.customerId !== customerId) {
          errors.push(rowError(ctx, r.line, 'invoiceNumber', n, `invoice ${n} belongs to another customer`));
          continue;
        }
        if (inv.currency !== r.currency) {
          errors.push(
            rowError(
              ctx,
              r.line,
              'invoiceNumber',
              n,
              `invoice ${n} is in ${inv.currency}, the credit note in ${r.currency}`,
            ),
          );
          continue;
        }
      }
      ok.push(r);
    }
    if (checkOnly || ok.length === 0) return { created: 0, updated: 0, unchanged: 0, errors };
    const col = <K extends keyof CreditNoteRecord>(k: K) => ok.map((r) => r[k]);
    const result = await upsertBatch(trx, ctx.orgId, ctx.batchId, ctx.actor, {
      table: 'credit_notes',
      entity: 'credit_note',
      key: 'credit_note_number',
      hasUpdatedAt: true,
      hasBatchColumn: true,
      insertExtras: { unallocated_minor: 's.gross_minor' },
      columns: [
        { name: 'credit_note_number', type: 'text', values: col('creditNoteNumber'), update: false },
        {
          name: 'customer_id',
          type: 'uuid',
          values: ok.map((r) => customers.get(r.customerRef)),
          update: true,
        },
        {
          name: 'invoice_id',
          type: 'uuid',
          values: ok.map((r) => (r.invoiceNumber ? (invoices.get(r.invoiceNumber)?.id ?? null) : null)),
          update: has(ctx, 'invoiceNumber'),
        },
        { name: 'issue_date', type: 'date', values: col('issueDate'), update: true },
        { name: 'currency', type: 'text', values: col('currency'), update: true },
        { name: 'net_minor', type: 'bigint', values: col('net'), update: true },
        { name: 'tax_minor', type: 'bigint', values: col('tax'), update: true },
        { name: 'gross_minor', type: 'bigint', values: col('gross'), update: true },
        { name: 'reason', type: 'text', values: col('reason'), update: has(ctx, 'reason') },
      ],
    });
    const byNumber = new Map(ok.map((r) => [r.creditNoteNumber, r]));
    await allocateBatch(
      trx,
      ctx.orgId,
      'credit_note',
      result.rows.map((row) => {
        const r = byNumber.get(row.key) as CreditNoteRecord;
        return {
          id: row.id,
          customerId: customers.get(r.customerRef) as string,
          amount: r.gross,
          currency: r.currency,
          invoiceNumbers: r.invoiceNumber ? [r.invoiceNumber] : [],
          replaced: !row.inserted,
        };
      }),
      // A credit note without an invoice is a credit, never spread automatically.
      false,
    );
    return { created: result.created, updated: result.updated, unchanged: result.unchanged, errors };
  },
};
