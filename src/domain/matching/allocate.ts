import { type Money, money } from '../money/index.js';
import type { Allocation, OpenInvoice } from './types.js';

/**
 * Oldest due date first, then invoice number. When the debtor does not say which debt a
 * payment settles, French law imputes it to the debts due first, and among those the oldest
 * (Code civil art. 1342-10); the same order is the usual convention elsewhere.
 */
export function oldestFirst(invoices: readonly OpenInvoice[]): OpenInvoice[] {
  return [...invoices].sort(
    (a, b) =>
      a.dueDate.localeCompare(b.dueDate) ||
      a.invoiceNumber.localeCompare(b.invoiceNumber) ||
      a.invoiceId.localeCompare(b.invoiceId),
  );
}

export interface Spread {
  allocations: Allocation[];
  unallocated: Money;
}

/** Spread a payment over invoices in the given order, never past an invoice's balance. */
export function spread(
  amount: Money,
  invoices: readonly OpenInvoice[],
  balance: (i: OpenInvoice) => number,
): Spread {
  let left = amount.amount;
  const allocations: Allocation[] = [];
  for (const invoice of invoices) {
    if (left <= 0) break;
    const due = balance(invoice);
    if (due <= 0) continue;
    const part = Math.min(due, left);
    allocations.push({
      invoiceId: invoice.invoiceId,
      invoiceNumber: invoice.invoiceNumber,
      amount: money(part, amount.currency),
    });
    left -= part;
  }
  return { allocations, unallocated: money(left, amount.currency) };
}
