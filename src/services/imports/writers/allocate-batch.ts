import type { Kysely } from 'kysely';
import { refreshBalances } from '../../../db/queries/balances.js';
import {
  type InvoiceForAllocation,
  invoicesByNumber,
  openInvoicesOfCustomers,
} from '../../../db/queries/imports.js';
import { deleteAllocationsOf, insertAllocations } from '../../../db/queries/ledger-writes.js';
import type { Database } from '../../../db/schema/index.js';
import { allocateOldestFirst } from '../../../domain/allocation/allocate.js';

export interface ToAllocate {
  /** Payment or credit-note id. */
  id: string;
  customerId: string;
  amount: number;
  currency: string;
  /** Invoices the document names; empty = none named. */
  invoiceNumbers: string[];
  /** Re-imported with changes: its previous allocations are replaced. */
  replaced: boolean;
}

/**
 * Allocate a batch of payments (or credit notes) in file order. Balances are tracked in
 * memory across the batch so two payments of one file never settle the same cent twice;
 * the database derives the final balances once, set-based, at the end.
 */
export async function allocateBatch(
  trx: Kysely<Database>,
  orgId: string,
  kind: 'payment' | 'credit_note',
  items: ToAllocate[],
  autoAllocate: boolean,
): Promise<void> {
  if (items.length === 0) return;
  const replaced = items.filter((i) => i.replaced).map((i) => i.id);
  const released = await deleteAllocationsOf(
    trx,
    orgId,
    kind === 'payment' ? { paymentIds: replaced } : { creditNoteIds: replaced },
  );
  if (released.length > 0) await refreshBalances(trx, orgId, { invoiceIds: released });

  const named = await invoicesByNumber(trx, orgId, [...new Set(items.flatMap((i) => i.invoiceNumbers))]);
  const autoCustomers = autoAllocate
    ? [...new Set(items.filter((i) => i.invoiceNumbers.length === 0).map((i) => i.customerId))]
    : [];
  const open = await openInvoicesOfCustomers(trx, orgId, autoCustomers);
  const balances = new Map<string, InvoiceForAllocation>();
  for (const inv of [...named.values(), ...open]) balances.set(inv.id, { ...inv });
  const openByCustomer = new Map<string, InvoiceForAllocation[]>();
  for (const inv of open) {
    const list = openByCustomer.get(inv.customerId) ?? [];
    list.push(balances.get(inv.id) as InvoiceForAllocation);
    openByCustomer.set(inv.customerId, list);
  }

  const rows = {
    invoiceIds: [] as string[],
    paymentIds: [] as (string | null)[],
    creditNoteIds: [] as (string | null)[],
    amounts: [] as number[],
  };
  for (const item of items) {
    const candidates =
      item.invoiceNumbers.length > 0
        ? item.invoiceNumbers.map((n) => balances.get(named.get(n)?.id ?? '')).filter((i) => i !== undefined)
        : (openByCustomer.get(item.customerId) ?? []).filter((i) => i.currency === item.currency);
    if (candidates.length === 0) continue;
    const result = allocateOldestFirst(item.amount, item.currency, candidates);
    for (const line of result.lines) {
      const inv = balances.get(line.invoiceId);
      if (inv) inv.balance -= line.amount;
      rows.invoiceIds.push(line.invoiceId);
      rows.paymentIds.push(kind === 'payment' ? item.id : null);
      rows.creditNoteIds.push(kind === 'credit_note' ? item.id : null);
      rows.amounts.push(line.amount);
    }
  }
  await insertAllocations(trx, orgId, rows);
  // Customer scope also refreshes the unallocated amount of payments and credit notes
  // that settled nothing (over-payments, credits with no invoice).
  await refreshBalances(trx, orgId, { customerIds: [...new Set(items.map((i) => i.customerId))] });
}
