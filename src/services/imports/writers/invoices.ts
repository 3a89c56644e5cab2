import { sql } from 'kysely';
import { refreshBalances } from '../../../db/queries/balances.js';
import { appendEvidenceEntry } from '../../../db/queries/evidence.js';
import { customerIdsByRef } from '../../../db/queries/imports.js';
import { ensureCustomers, upsertBatch } from '../../../db/queries/ledger-writes.js';
import { foldReference } from '../../../domain/import/cells.js';
import type { RowError } from '../../../domain/import/row.js';
import { type InvoiceRecord, validateInvoice } from '../../../domain/import/validate.js';
import { openDisputes } from '../../disputes/open-disputes.js';
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
      // With --create-customers a row without a name column (the US "customerID" files)
      // creates the customer named after its reference, to be renamed later.
      if (ctx.createCustomers && hint === '') {
        if (!toCreate.has(r.customerRef)) {
          toCreate.set(r.customerRef, { name: r.customerName ?? r.customerRef, currency: r.currency });
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
    if (upd('paidAmount') || upd('settledDate')) {
      await writeOpeningPayments(trx, ctx, ok, known);
    } else if (updatedIds.length > 0) {
      await refreshBalances(trx, ctx.orgId, { invoiceIds: updatedIds });
    }
    const disputesOpened = upd('disputed') ? await openDisputesOfRows(trx, ctx, ok) : 0;
    return {
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
      errors,
      customersCreated,
      disputesOpened,
    };
  },
};

/**
 * Rows flagged disputed open a dispute through the one dispute use case (openDisputes: the
 * dispute, the flag that pauses dunning, the collector's task), with one evidence entry per
 * customer. Only invoices with something left to pay: a settled invoice's dispute is over.
 * An invoice already under an open dispute keeps it; "No" never closes one (a collector does).
 */
async function openDisputesOfRows(
  trx: Parameters<EntityHandler<InvoiceRecord>['write']>[0],
  ctx: Parameters<EntityHandler<InvoiceRecord>['write']>[1],
  rows: InvoiceRecord[],
): Promise<number> {
  const nums = rows.filter((r) => r.disputed === true).map((r) => r.invoiceNumber);
  if (nums.length === 0) return 0;
  const due = await sql<{ id: string }>`
    select id from invoices
    where org_id = ${ctx.orgId} and invoice_number = any(${nums}::text[]) and balance_minor > 0
  `.execute(trx);
  const by = ctx.actor ?? 'import';
  const today = new Date().toISOString().slice(0, 10);
  const opened = await openDisputes(
    trx,
    ctx.orgId,
    due.rows.map((r) => ({
      invoiceId: r.id,
      reasonCode: 'other' as const,
      comment: 'marked disputed in the imported file',
    })),
    { openedBy: by, source: 'import', today },
  );
  const byCustomer = new Map<string, typeof opened>();
  for (const o of opened) byCustomer.set(o.customer_id, [...(byCustomer.get(o.customer_id) ?? []), o]);
  for (const [customerId, list] of byCustomer) {
    await appendEvidenceEntry(trx, ctx.orgId, {
      customerId,
      kind: 'dispute',
      channel: null,
      summary: `disputed (from import): ${list.map((o) => o.invoice_number).join(', ')}`,
      payload: {
        importBatchId: ctx.batchId,
        invoiceIds: list.map((o) => o.invoice_id),
        invoiceNumbers: list.map((o) => o.invoice_number),
        reasonCode: 'other',
        by,
      },
      contentSha256: null,
    });
  }
  return opened.length;
}
