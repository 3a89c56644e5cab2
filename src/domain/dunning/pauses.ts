import { addDays, compareDates, type IsoDate } from '../calendar/index.js';
import type { DunningPause, ExcludedItem, ExclusionReason, OpenItem, PromiseToPay } from './types.js';

/** The unit a step fires for: a whole invoice, or one instalment of a split invoice. */
export interface DunningUnit {
  invoiceId: string;
  invoiceNumber: string;
  instalmentSeq: number | null;
  dueDate: IsoDate;
  amountMinor: number;
  balanceMinor: number;
  currency: string;
  item: OpenItem;
}

export function unitId(u: { invoiceId: string; instalmentSeq: number | null }): string {
  return u.instalmentSeq === null ? u.invoiceId : `${u.invoiceId}#${u.instalmentSeq}`;
}

// One constructor for both kinds of unit: the planner's hot loop then sees a single object shape.
function dunningUnit(
  item: OpenItem,
  instalmentSeq: number | null,
  dueDate: IsoDate,
  amountMinor: number,
  balanceMinor: number,
): DunningUnit {
  return {
    invoiceId: item.invoiceId,
    invoiceNumber: item.invoiceNumber,
    instalmentSeq,
    dueDate,
    amountMinor,
    balanceMinor,
    currency: item.currency,
    item,
  };
}

/**
 * Split payment terms are reminded per instalment, each on its own due date. Without an
 * explicit instalment balance, what was paid settles the earliest instalments first.
 */
export function unitsOf(item: OpenItem): DunningUnit[] {
  const inst = item.instalments;
  if (!inst || inst.length === 0)
    return [dunningUnit(item, null, item.dueDate, item.grossMinor ?? item.balanceMinor, item.balanceMinor)];
  const sorted = [...inst].sort((a, b) => compareDates(a.dueDate, b.dueDate) || a.seq - b.seq);
  let scheduled = 0;
  for (const i of sorted) scheduled += i.amountMinor;
  let paidLeft = Math.max(0, scheduled - Math.max(0, item.balanceMinor));
  const units: DunningUnit[] = [];
  for (const i of sorted) {
    let balance: number;
    if (i.balanceMinor !== undefined) balance = i.balanceMinor;
    else {
      const settled = Math.min(i.amountMinor, paidLeft);
      paidLeft -= settled;
      balance = i.amountMinor - settled;
    }
    units.push(dunningUnit(item, i.seq, i.dueDate, i.amountMinor, balance));
  }
  return units;
}

function excludedUnit(
  unit: DunningUnit,
  reason: ExclusionReason,
  detail: string,
  resumesOn: IsoDate | null,
): ExcludedItem {
  return {
    invoiceId: unit.invoiceId,
    invoiceNumber: unit.invoiceNumber,
    instalmentSeq: unit.instalmentSeq,
    reason,
    detail,
    resumesOn,
  };
}

/**
 * Why a unit must not be reminded today, or null. Order matters for the reason shown:
 * a paid item is "paid" even if it was also disputed.
 */
export function exclusionOf(
  unit: DunningUnit,
  today: IsoDate,
  pauses: DunningPause[],
  promises: PromiseToPay[],
): ExcludedItem | null {
  const item = unit.item;
  if (unit.balanceMinor <= 0)
    return excludedUnit(unit, 'paid', 'nothing left to pay (paid or credited)', null);
  if (item.disputed)
    return excludedUnit(unit, 'disputed', 'disputed: excluded until the dispute is resolved', null);
  // The latest pause still running wins; on a tie the first one listed (the invoice's own first).
  let pausedUntil: IsoDate | null = null;
  let pause: DunningPause | null = null;
  if (item.pausedUntil && compareDates(item.pausedUntil, today) >= 0) pausedUntil = item.pausedUntil;
  for (const p of pauses) {
    if (p.invoiceId !== null && p.invoiceId !== unit.invoiceId) continue;
    if (
      compareDates(p.until, today) >= 0 &&
      (pausedUntil === null || compareDates(p.until, pausedUntil) > 0)
    ) {
      pausedUntil = p.until;
      pause = p;
    }
  }
  if (pausedUntil !== null) {
    const what =
      pause === null
        ? 'invoice paused'
        : `${pause.invoiceId === null ? 'customer' : 'invoice'} paused: ${pause.reason}`;
    return excludedUnit(unit, 'paused', `${what} until ${pausedUntil}`, addDays(pausedUntil, 1));
  }
  let promiseEnd: IsoDate | null = null;
  let promiseDate: IsoDate | null = null;
  for (const p of promises) {
    if (p.status !== 'active') continue;
    if (p.invoiceIds.length > 0 && !p.invoiceIds.includes(unit.invoiceId)) continue;
    // The debtor gets until the promised date plus a grace period for the transfer to arrive.
    const end = addDays(p.promisedDate, p.graceDays);
    if (compareDates(end, today) >= 0 && (promiseEnd === null || compareDates(end, promiseEnd) > 0)) {
      promiseEnd = end;
      promiseDate = p.promisedDate;
    }
  }
  if (promiseEnd !== null)
    return excludedUnit(
      unit,
      'promise_to_pay',
      `promise to pay on ${promiseDate}, grace until ${promiseEnd}`,
      addDays(promiseEnd, 1),
    );
  if (item.inPaymentPlanInGoodStanding)
    return excludedUnit(unit, 'payment_plan', 'covered by a payment plan in good standing', null);
  return null;
}
