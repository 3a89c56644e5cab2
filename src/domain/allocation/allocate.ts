/**
 * Applying a payment (or a credit) to open invoices. Pure: the caller loads the open
 * invoices and writes the result.
 */
export interface OpenInvoice {
  id: string;
  invoiceNumber: string;
  /** yyyy-mm-dd */
  dueDate: string;
  /** Balance due in minor units. */
  balance: number;
  currency: string;
}

export interface AllocationLine {
  invoiceId: string;
  amount: number;
}

export interface AllocationResult {
  lines: AllocationLine[];
  allocated: number;
  /** Left on the customer as credit (over-payment), never silently dropped. */
  unallocated: number;
}

export class AllocationError extends Error {
  constructor(
    message: string,
    public readonly invoiceId?: string,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}

const byNumber = new Intl.Collator('en', { numeric: true });

/**
 * Order in which a payment settles debts when the debtor did not say which: Code civil
 * art. 1342-10 — debts already due first, among them the oldest. Sorting by due date puts
 * due debts before not-yet-due ones and the oldest first. The article's last resort
 * (proportional split between debts equal in every respect) is replaced by a
 * deterministic tie-break on invoice number, so re-running an import gives the same result.
 */
export function imputationOrder<T extends Pick<OpenInvoice, 'dueDate' | 'invoiceNumber'>>(
  invoices: T[],
): T[] {
  return [...invoices].sort(
    (a, b) =>
      (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0) ||
      byNumber.compare(a.invoiceNumber, b.invoiceNumber),
  );
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new AllocationError(`amount must be a non-negative integer of minor units, got ${amount}`);
  }
}

/**
 * Allocate `amount` to `invoices`, oldest due date first. An invoice in another currency
 * is refused (no implicit exchange rate); over-payment stays unallocated, under-payment
 * leaves a balance on the last invoice reached.
 */
export function allocateOldestFirst(
  amount: number,
  currency: string,
  invoices: OpenInvoice[],
): AllocationResult {
  checkAmount(amount);
  const mismatch = invoices.find((i) => i.currency !== currency);
  if (mismatch) {
    throw new AllocationError(
      `invoice ${mismatch.invoiceNumber} is in ${mismatch.currency}, the payment in ${currency}`,
      mismatch.id,
    );
  }
  const lines: AllocationLine[] = [];
  let left = amount;
  for (const inv of imputationOrder(invoices)) {
    if (left === 0) break;
    if (inv.balance <= 0) continue;
    const take = Math.min(left, inv.balance);
    lines.push({ invoiceId: inv.id, amount: take });
    left -= take;
  }
  return { lines, allocated: amount - left, unallocated: left };
}

/**
 * Check allocations chosen by the debtor or the user (art. 1342-10 first paragraph: the
 * debtor may say which debt they pay): each amount positive, within the invoice's
 * balance and currency, and together within the payment.
 */
export function checkExplicitAllocations(
  amount: number,
  currency: string,
  requested: AllocationLine[],
  invoices: OpenInvoice[],
): AllocationResult {
  checkAmount(amount);
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const perInvoice = new Map<string, number>();
  let total = 0;
  for (const line of requested) {
    const inv = byId.get(line.invoiceId);
    if (!inv)
      throw new AllocationError(
        `invoice ${line.invoiceId} is not an open invoice of this customer`,
        line.invoiceId,
      );
    if (inv.currency !== currency) {
      throw new AllocationError(
        `invoice ${inv.invoiceNumber} is in ${inv.currency}, the payment in ${currency}`,
        inv.id,
      );
    }
    if (!Number.isSafeInteger(line.amount) || line.amount <= 0) {
      throw new AllocationError(`allocation to invoice ${inv.invoiceNumber} must be positive`, inv.id);
    }
    const sumForInvoice = (perInvoice.get(inv.id) ?? 0) + line.amount;
    if (sumForInvoice > inv.balance) {
      throw new AllocationError(
        `allocation of ${sumForInvoice} to invoice ${inv.invoiceNumber} exceeds its balance of ${inv.balance}`,
        inv.id,
      );
    }
    perInvoice.set(inv.id, sumForInvoice);
    total += line.amount;
  }
  if (total > amount)
    throw new AllocationError(`allocations total ${total}, more than the payment of ${amount}`);
  const lines = [...perInvoice].map(([invoiceId, a]) => ({ invoiceId, amount: a }));
  return { lines, allocated: total, unallocated: amount - total };
}
