import { Decimal } from 'decimal.js';
import { addDays, addMonths, compareDates, type IsoDate } from '../calendar/index.js';
import { allocateEvenly, type Money } from '../money/index.js';

/**
 * A payment plan ("échéancier") the debtor may ask for: monthly instalments from a first
 * date, optionally after a down payment due on the first date. The organisation's rules
 * decide what is accepted without a human; outside them the request is refused with the
 * rule broken and the nearest plan that fits, so the debtor can accept that instead.
 */
export interface PaymentPlanRules {
  maxInstalments: number;
  /** The last instalment falls at most this many days after today. */
  maxDurationDays: number;
  /** Smallest instalment, minor units (a single instalment of a smaller remainder is fine). */
  minInstalmentMinor: number;
  /** The first instalment (or down payment) falls at most this many days after today. */
  maxFirstDateDays: number;
  /** Required down payment as a percentage of the total, e.g. "10"; "0" when not required. */
  minDownPaymentPercent: string;
}

export const DEFAULT_PAYMENT_PLAN_RULES: PaymentPlanRules = {
  maxInstalments: 12,
  maxDurationDays: 365,
  minInstalmentMinor: 5_000,
  maxFirstDateDays: 30,
  minDownPaymentPercent: '0',
};

export interface PaymentPlanRequest {
  total: Money;
  instalments: number;
  firstDate: IsoDate;
  /** Paid on the first date, before the instalments; absent = none. */
  downPayment?: Money;
}

export interface PlanInstalment {
  /** 0 is the down payment, instalments count from 1. */
  seq: number;
  dueDate: IsoDate;
  amount: Money;
}

export type PaymentPlanRule =
  | 'instalments_min'
  | 'max_instalments'
  | 'first_date_not_in_past'
  | 'max_first_date'
  | 'max_duration'
  | 'min_instalment'
  | 'min_down_payment'
  | 'down_payment_exceeds_total';

export interface PlanRuleBroken {
  rule: PaymentPlanRule;
  field: 'instalments' | 'firstDate' | 'downPayment';
  reason: string;
}

export type PaymentPlanDecision =
  | { ok: true; schedule: PlanInstalment[] }
  | {
      ok: false;
      broken: PlanRuleBroken[];
      /** The closest plan within the rules; null if none exists (nothing left to pay). */
      nearest: { request: PaymentPlanRequest; schedule: PlanInstalment[] } | null;
    };

function requiredDownPayment(total: Money, rules: PaymentPlanRules): number {
  // Rounded up to the cent: the organisation's minimum is a floor, never undercut by rounding.
  return new Decimal(total.amount).mul(rules.minDownPaymentPercent).div(100).ceil().toNumber();
}

/** Monthly schedule: down payment (if any) and first instalment on firstDate… */
export function planSchedule(req: PaymentPlanRequest): PlanInstalment[] {
  const down = req.downPayment?.amount ?? 0;
  const rest = { amount: req.total.amount - down, currency: req.total.currency };
  const out: PlanInstalment[] = [];
  if (down > 0)
    out.push({ seq: 0, dueDate: req.firstDate, amount: { amount: down, currency: req.total.currency } });
  // With a down payment the instalments start one month later.
  const offset = down > 0 ? 1 : 0;
  allocateEvenly(rest, req.instalments).forEach((amount, i) => {
    out.push({ seq: i + 1, dueDate: addMonths(req.firstDate, i + offset), amount });
  });
  return out;
}

function lastDate(req: PaymentPlanRequest): IsoDate {
  const offset = (req.downPayment?.amount ?? 0) > 0 ? 1 : 0;
  return addMonths(req.firstDate, req.instalments - 1 + offset);
}

export function brokenPlanRules(
  req: PaymentPlanRequest,
  today: IsoDate,
  rules: PaymentPlanRules,
): PlanRuleBroken[] {
  const out: PlanRuleBroken[] = [];
  const down = req.downPayment?.amount ?? 0;
  const required = requiredDownPayment(req.total, rules);
  if (down > req.total.amount)
    out.push({
      rule: 'down_payment_exceeds_total',
      field: 'downPayment',
      reason: 'is more than the total owed',
    });
  else if (down < required)
    out.push({
      rule: 'min_down_payment',
      field: 'downPayment',
      reason: `must be at least ${rules.minDownPaymentPercent}% of the total (${required} minor units)`,
    });
  if (!Number.isInteger(req.instalments) || req.instalments < 1) {
    out.push({
      rule: 'instalments_min',
      field: 'instalments',
      reason: 'must be a whole number of at least 1',
    });
    return out;
  }
  if (req.instalments > rules.maxInstalments)
    out.push({
      rule: 'max_instalments',
      field: 'instalments',
      reason: `must be at most ${rules.maxInstalments}`,
    });
  if (compareDates(req.firstDate, today) < 0)
    out.push({ rule: 'first_date_not_in_past', field: 'firstDate', reason: `must be ${today} or later` });
  const latestFirst = addDays(today, rules.maxFirstDateDays);
  if (compareDates(req.firstDate, latestFirst) > 0)
    out.push({ rule: 'max_first_date', field: 'firstDate', reason: `must be ${latestFirst} at the latest` });
  const latestEnd = addDays(today, rules.maxDurationDays);
  if (compareDates(lastDate(req), latestEnd) > 0)
    out.push({
      rule: 'max_duration',
      field: 'instalments',
      reason: `the last instalment would fall on ${lastDate(req)}, after ${latestEnd}`,
    });
  const rest = req.total.amount - Math.min(down, req.total.amount);
  // The smallest share of an even split is floor(rest / n).
  if (req.instalments > 1 && Math.floor(rest / req.instalments) < rules.minInstalmentMinor)
    out.push({
      rule: 'min_instalment',
      field: 'instalments',
      reason: `each instalment must be at least ${rules.minInstalmentMinor} minor units`,
    });
  return out;
}

/**
 * The nearest acceptable plan: keep what the debtor chose where it fits, move the first
 * date into the window, raise the down payment to the minimum, then take as many
 * instalments as asked if the rules allow, else the most they allow.
 */
export function nearestPlan(
  req: PaymentPlanRequest,
  today: IsoDate,
  rules: PaymentPlanRules,
): PaymentPlanRequest | null {
  const currency = req.total.currency;
  if (req.total.amount <= 0) return null;
  let firstDate = req.firstDate;
  if (compareDates(firstDate, today) < 0) firstDate = today;
  const latestFirst = addDays(today, rules.maxFirstDateDays);
  if (compareDates(firstDate, latestFirst) > 0) firstDate = latestFirst;
  const required = requiredDownPayment(req.total, rules);
  const down = Math.min(req.total.amount, Math.max(req.downPayment?.amount ?? 0, required));
  const rest = req.total.amount - down;
  const withDown = (n: number): PaymentPlanRequest => ({
    total: req.total,
    instalments: n,
    firstDate,
    ...(down > 0 ? { downPayment: { amount: down, currency } } : {}),
  });
  if (rest === 0) return { total: req.total, instalments: 1, firstDate };
  let n = Math.max(
    1,
    Math.min(Number.isInteger(req.instalments) ? req.instalments : 1, rules.maxInstalments),
  );
  n = Math.max(1, Math.min(n, Math.floor(rest / rules.minInstalmentMinor)));
  const latestEnd = addDays(today, rules.maxDurationDays);
  while (n > 1 && compareDates(lastDate(withDown(n)), latestEnd) > 0) n--;
  const candidate = withDown(n);
  return brokenPlanRules(candidate, today, rules).length === 0 ? candidate : null;
}

export function decidePaymentPlan(
  req: PaymentPlanRequest,
  today: IsoDate,
  rules: PaymentPlanRules,
): PaymentPlanDecision {
  const broken = brokenPlanRules(req, today, rules);
  if (broken.length === 0) return { ok: true, schedule: planSchedule(req) };
  const nearest = nearestPlan(req, today, rules);
  return {
    ok: false,
    broken,
    nearest: nearest ? { request: nearest, schedule: planSchedule(nearest) } : null,
  };
}

function intIn(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

/** settings.portal.paymentPlan, leniently: an absent or out-of-range value takes the default. */
export function paymentPlanRulesOf(settings: Record<string, unknown> | null | undefined): PaymentPlanRules {
  const portal = (settings?.portal ?? {}) as Record<string, unknown>;
  const p = (portal.paymentPlan ?? {}) as Record<string, unknown>;
  const d = DEFAULT_PAYMENT_PLAN_RULES;
  const pct = p.minDownPaymentPercent;
  const pctOk =
    (typeof pct === 'string' || typeof pct === 'number') && /^\d{1,2}(\.\d{1,2})?$|^100$/.test(String(pct));
  return {
    maxInstalments: intIn(p.maxInstalments, 1, 60) ?? d.maxInstalments,
    maxDurationDays: intIn(p.maxDurationDays, 1, 1830) ?? d.maxDurationDays,
    minInstalmentMinor: intIn(p.minInstalmentMinor, 1, 1_000_000_000) ?? d.minInstalmentMinor,
    maxFirstDateDays: intIn(p.maxFirstDateDays, 0, 365) ?? d.maxFirstDateDays,
    minDownPaymentPercent: pctOk ? String(pct) : d.minDownPaymentPercent,
  };
}
