import { refreshBalances } from '../../../db/queries/balances.js';
import { customerIdsByRef } from '../../../db/queries/imports.js';
import { ensureCustomers, upsertBatch } from '../../../db/queries/ledger-writes.js';
import { foldReference } from '../../../domain/import/cells.js';
import type { RowError } from '../../../domain/import/row.js';
import { type InvoiceRecord, validateInvoice } from '../../../domain/import/validate.js';
import { type EntityHandler, has, lookAlikeHint, lookAlikeRefs, unknownCustomer } from './context.js';
import { writeOpeningPayments } from './opening-payments.js';

/**
 * Invoices reference customers by external reference. An unknown reference is an error,
 * unless the row also gives the customer's name: the customer is then created with that
 * name (files exported from invoicing tools often carry both), and counted apart.
 */
export const invoicesHandler: EntityHandler<InvoiceRecord> = {
  keyField: 'invoiceNumber',
  validate: validateInvoice,
  async write(trx, ctx, rows, checkOnly) {
    const refs = [...new Set(rows.map((r) => r.customerRef))];
    const known = await customerIdsByRef(trx, ctx.orgId, refs);
    const errors: RowError[] = [];
    const toCreate = new Map<string, { name: string; currency: string }>();
    const ok: InvoiceRecord[] = [];
    const unknown = refs.filter((ref) => !known.has(ref));
    const lookAlikes = await lookAlikeRefs(trx, ctx.orgId, unknown);
    const creating = new Map<string, string>();
    for (const r of rows) {
      if (known.has(r.customerRef)) {
        ok.push(r);
        continue;
      }
      let hint = lookAlikeHint(lookAlikes, r.customerRef);
      const claimed = creating.get(foldReference(r.customerRef));
      if (hint === '' && claimed !== undefined && claimed !== r.customerRef) {
        hint = `; an earlier row of this file creates the look-alike reference "${claimed}" (same characters, other case or spacing)`;
      }
      // A look-alike of an existing reference is never created: it is almost always a typo.
      if (r.customerName && ctx.createCustomers && hint === '') {
        if (!toCreate.has(r.customerRef)) {
          toCreate.set(r.customerRef, { name: r.customerName, currency: r.currency });
          creating.set(foldReference(r.customerRef), r.customerRef);
        }
        ok.push(r);
      } else {
        const how =
          r.customerName && !ctx.createCustomers && hint === ''
            ? '; to create it from the name on the row, import with --create-customers (API: createCustomers=true)'
            : hint;
        errors.push(unknownCustomer(ctx, r.line, r.customerRef, how));
      }
    }
    if (checkOnly || ok.length === 0) return { created: 0, updated: 0, unchanged: 0, errors };
    let customersCreated = 0;
    if (toCreate.size > 0) {
      const refsToCreate = [...toCreate.keys()];
      const made = await ensureCustomers(
        trx,
        ctx.orgId,
        refsToCreate,
        refsToCreate.map((k) => toCreate.get(k)?.name ?? k),
        refsToCreate.map((k) => toCreate.get(k)?.currency ?? ctx.defaults.currency),
      );
      customersCreated = made.size;
      for (const [ref, id] of made) known.set(ref, id);
    }
    const col = <K extends keyof InvoiceRecord>(k: K) => ok.map((r) => r[k]);
    const upd = (field: string) => has(ctx, field);
    const result = await upsertBatch(trx, ctx.orgId, ctx.batchId, ctx.actor, {
      table: 'invoices',
      entity: 'invoice',
      key: 'invoice_number',
      hasUpdatedAt: true,
      hasBatchColumn: true,
      // A new invoice owes its gross amount; later changes go through refreshBalances.
      insertExtras: { balance_minor: 's.gross_minor' },
      columns: [
        { name: 'invoice_number', type: 'text', values: col('invoiceNumber'), update: false },
        { name: 'customer_id', type: 'uuid', values: ok.map((r) => known.get(r.customerRef)), update: true },
        { name: 'external_id', type: 'text', values: col('externalId'), update: upd('externalId') },
        { name: 'issue_date', type: 'date', values: col('issueDate'), update: true },
        { name: 'due_date', type: 'date', values: col('dueDate'), update: true },
        {
          name: 'performance_date',
          type: 'date',
          values: col('performanceDate'),
          update: upd('performanceDate'),
        },
        { name: 'currency', type: 'text', values: col('currency'), update: upd('currency') },
        // Amounts move together: the schema checks net + tax = gross.
        { name: 'net_minor', type: 'bigint', values: col('net'), update: true },
        { name: 'tax_minor', type: 'bigint', values: col('tax'), update: true },
        { name: 'gross_minor', type: 'bigint', values: col('gross'), update: true },
        { name: 'payment_terms', type: 'text', values: col('paymentTerms'), update: upd('paymentTerms') },
        { name: 'po_reference', type: 'text', values: col('poReference'), update: upd('poReference') },
        { name: 'description', type: 'text', values: col('description'), update: upd('description') },
      ],
    });
    const updatedIds = result.rows.filter((r) => !r.inserted).map((r) => r.id);
    if (upd('paidAmount')) {
      await writeOpeningPayments(trx, ctx, ok, known);
    } else if (updatedIds.length > 0) {
      await refreshBalances(trx, ctx.orgId, { invoiceIds: updatedIds });
    }
    return {
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      errors,
      customersCreated,
    };
  },
};
