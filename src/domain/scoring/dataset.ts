/** From the ledger to training rows and scoring rows (features as of each invoice's issue date). */
import { monthOfDay } from './days.js';
import { type BrokenPromise, buildFeatures, type FeatureQuery, type LedgerInvoice } from './features.js';
import type { Matrix } from './gbdt.js';
import type { TrainingSet } from './model.js';

export function invoiceQuery(inv: LedgerInvoice): FeatureQuery {
  return {
    customerId: inv.customerId,
    asOfDay: inv.issueDay,
    amountMinor: inv.amountMinor,
    termsDays: inv.dueDay - inv.issueDay,
    disputed: inv.disputed,
    month: monthOfDay(inv.issueDay),
  };
}

/** Features of the given invoices, each as of its own issue date, over the whole ledger's history. */
export function invoiceFeatures(
  ledger: readonly LedgerInvoice[],
  promises: readonly BrokenPromise[],
  invoices: readonly LedgerInvoice[],
): Matrix {
  return buildFeatures(ledger, promises, invoices.map(invoiceQuery));
}

export interface LabelledSet extends TrainingSet {
  invoices: LedgerInvoice[];
}

/**
 * Training rows: invoices settled strictly before `untilDay` (all settled ones when null),
 * most recent `maxRows` by settlement. Their features only see history settled before their
 * issue date, which is before their own settlement, so nothing after `untilDay` leaks in.
 */
export function trainingSet(
  ledger: readonly LedgerInvoice[],
  promises: readonly BrokenPromise[],
  untilDay: number | null,
  maxRows = Number.POSITIVE_INFINITY,
): LabelledSet {
  let rows = ledger.filter((i) => i.settledDay !== null && (untilDay === null || i.settledDay < untilDay));
  if (rows.length > maxRows) {
    rows = [...rows].sort((a, b) => (b.settledDay as number) - (a.settledDay as number)).slice(0, maxRows);
  }
  const visible =
    untilDay === null
      ? ledger
      : ledger.map((i) =>
          i.settledDay !== null && i.settledDay >= untilDay ? { ...i, settledDay: null } : i,
        );
  const pv = untilDay === null ? promises : promises.filter((p) => p.day < untilDay);
  return labelled(visible, pv, rows);
}

export function labelled(
  ledger: readonly LedgerInvoice[],
  promises: readonly BrokenPromise[],
  rows: LedgerInvoice[],
): LabelledSet {
  const x = invoiceFeatures(ledger, promises, rows);
  const late = new Float64Array(rows.length);
  const daysLate = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    const d = (r.settledDay as number) - r.dueDay;
    daysLate[i] = d;
    late[i] = d > 0 ? 1 : 0;
  });
  return { x, late, daysLate, invoices: rows };
}
