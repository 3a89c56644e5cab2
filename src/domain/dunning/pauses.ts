import { addDays, compareDates, type IsoDate } from '../calendar/index.js';
import type { DunningPause, ExcludedItem, OpenItem, PromiseToPay } from './types.js';

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

/**
 * Split payment terms are reminded per instalment, each on its own due date. Without an
 * explicit instalment balance, what was paid settles the earliest instalments first.
 */
export function unitsOf(item: OpenItem): DunningUnit[] {
  const base = {
    invoiceId: item.invoiceId,
    invoiceNumber: item.invoiceNumber,
    currency: item.currency,
    item,
  };
  const inst = item.instalments ?? [];
  if (inst.length === 0)
    return [
      {
        ...base,
        instalmentSeq: null,
        dueDate: item.dueDate,
        amountMinor: item.grossMinor ?? item.balanceMinor,
        balanceMinor: item.balanceMinor,
      },
    ];
  const sorted = [...inst].sort((a, b) => compareDates(a.dueDate, b.dueDate) || a.seq - b.seq);
  const scheduled = sorted.reduce((acc, i) => acc + i.amountMinor, 0);
  let paidLeft = Math.max(0, scheduled - Math.max(0, item.balanceMinor));
  return sorted.map((i) => {
    let balance: number;
    if (i.balanceMinor !== undefined) balance = i.balanceMinor;
    else {
      const settled = Math.min(i.amountMinor, paidLeft);
      paidLeft -= settled;
      balance = i.amountMinor - settled;
    }
    return {
      ...base,
      instalmentSeq: i.seq,
      dueDate: i.dueDate,
      amountMinor: i.amountMinor,
      balanceMinor: balance,
    };
  });
}

/**
 * Why a unit must not be reminded today, or null. Order matters for the reason shown:
 * a paid item is "paid" even if it was also disputed.
 */
function excludedUnit(unit: DunningUnit) {
  return { invoiceId: unit.invoiceId, invoiceNumber: unit.invoiceNumber, instalmentSeq: unit.instalmentSeq };
}

export function exclusionOf(
  unit: DunningUnit,
  today: IsoDate,
  pauses: DunningPause[],
  promises: PromiseToPay[],
): ExcludedItem | null {
  if (unit.balanceMinor <= 0)
    return {
      ...excludedUnit(unit),
      reason: 'paid',
      detail: 'nothing left to pay (paid or credited)',
      resumesOn: null,
    };
  if (unit.item.disputed)
    return {
      ...excludedUnit(unit),
      reason: 'disputed',
      detail: 'disputed: excluded until the dispute is resolved',
      resumesOn: null,
    };
  let pausedUntil: IsoDate | null = null;
  let pauseDetail = '';
  const consider = (until: IsoDate, detail: string) => {
    if (compareDates(until, today) >= 0 && (pausedUntil === null || compareDates(until, pausedUntil) > 0)) {
      pausedUntil = until;
      pauseDetail = detail;
    }
  };
  if (unit.item.pausedUntil) consider(unit.item.pausedUntil, 'invoice paused');
  for (const p of pauses) {
    if (p.invoiceId === null) consider(p.until, `customer paused: ${p.reason}`);
    else if (p.invoiceId === unit.invoiceId) consider(p.until, `invoice paused: ${p.reason}`);
  }
  if (pausedUntil !== null)
    return {
      ...excludedUnit(unit),
      reason: 'paused',
      detail: `${pauseDetail} until ${pausedUntil}`,
      resumesOn: addDays(pausedUntil, 1),
    };
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
    return {
      ...excludedUnit(unit),
      reason: 'promise_to_pay',
      detail: `promise to pay on ${promiseDate}, grace until ${promiseEnd}`,
      resumesOn: addDays(promiseEnd, 1),
    };
  if (unit.item.inPaymentPlanInGoodStanding)
    return {
      ...excludedUnit(unit),
      reason: 'payment_plan',
      detail: 'covered by a payment plan in good standing',
      resumesOn: null,
    };
  return null;
}
