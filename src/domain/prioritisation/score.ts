/**
 * The collector's priority score: which overdue item to work first, and why. Additive on
 * purpose — each factor's points are shown next to the score, so a collector can see that an
 * item ranks high because it is large and old, not because of a black box.
 *
 * The same formula runs in SQL to rank a whole portfolio before paging
 * (src/db/queries/worklist.ts reads the constants below); an integration test checks that
 * both give the same score. Change one, change both. See docs/decisions/012-worklist-priority.md.
 */

/** Maximum points of each factor; they add up to 100. */
export const PRIORITY_WEIGHTS = {
  amount: 35,
  lateness: 25,
  recovery: 20,
  strategic: 10,
  revenueShare: 10,
} as const;

export const PRIORITY_PARAMS = {
  /** Overdue amount (major units) that earns every amount point; log scale below it. */
  amountCapMajor: 100_000,
  /** Days late that earn every lateness point; linear below it. */
  latenessCapDays: 90,
  /** Revenue share (0..1 over the last 12 months) that earns every share point. */
  revenueShareCap: 0.05,
  /** Recovery estimate: start, what lateness (over a year), a poor record and broken promises take off. */
  recoveryBase: 0.95,
  recoveryLatenessPenalty: 0.5,
  recoveryLatenessDays: 365,
  recoveryHistoryPenalty: 0.3,
  recoveryBrokenPromisePenalty: 0.05,
  recoveryBrokenPromiseMax: 3,
  recoveryMin: 0.05,
  recoveryMax: 0.95,
} as const;

export interface PriorityInput {
  /** Overdue balance of the item, minor units (2-decimal currencies assumed: cents). */
  amountOverdueMinor: number;
  currency: string;
  daysLate: number;
  /** The customer's invoices fully paid so far, and how many of them by their due date. */
  paidInvoices: number;
  paidOnTime: number;
  /** Promises to pay the customer broke in the last 12 months. */
  brokenPromises: number;
  strategic: boolean;
  /** Customer's share of the organisation's invoiced revenue over the last 12 months, 0..1. */
  revenueShare: number;
  /**
   * The risk model's chance the item is paid within 90 days of its due date (1 − P(unpaid at
   * +90), src/domain/scoring), when the invoice has a score: it replaces the hand-set estimate.
   */
  modelRecovery?: number | null;
}

export type PriorityFactor = 'amount' | 'lateness' | 'recovery' | 'strategic' | 'revenueShare';

export interface FactorContribution {
  factor: PriorityFactor;
  points: number;
  max: number;
  /** The input the points came from, for the explanation ("12 days late", "p = 0.62"). */
  value: number;
}

export interface PriorityScore {
  /** 0..100. */
  score: number;
  /** Estimated probability that the item is recovered, 0.05..0.95. */
  recoveryProbability: number;
  /** Every factor, largest contribution first; the points add up to the score (to the rounding). */
  factors: FactorContribution[];
}

const clamp = (lo: number, hi: number, v: number) => Math.min(hi, Math.max(lo, v));

/** Smoothed on-time ratio: no history counts as one on time and one late (0.5). */
export function onTimeRatio(paidInvoices: number, paidOnTime: number): number {
  const paid = Math.max(0, paidInvoices);
  const onTime = clamp(0, paid, paidOnTime);
  return (onTime + 1) / (paid + 2);
}

/**
 * The model's estimate when the invoice is scored; otherwise a simple, explainable fallback:
 * likely at first, less so as the item ages, with a poor payment record and broken promises.
 */
export function recoveryProbability(
  i: Pick<PriorityInput, 'daysLate' | 'paidInvoices' | 'paidOnTime' | 'brokenPromises' | 'modelRecovery'>,
): number {
  const P = PRIORITY_PARAMS;
  if (i.modelRecovery !== undefined && i.modelRecovery !== null && Number.isFinite(i.modelRecovery))
    return clamp(P.recoveryMin, P.recoveryMax, i.modelRecovery);
  const late = Math.min(1, Math.max(0, i.daysLate) / P.recoveryLatenessDays);
  const broken = Math.min(Math.max(0, i.brokenPromises), P.recoveryBrokenPromiseMax);
  const p =
    P.recoveryBase -
    P.recoveryLatenessPenalty * late -
    P.recoveryHistoryPenalty * (1 - onTimeRatio(i.paidInvoices, i.paidOnTime)) -
    P.recoveryBrokenPromisePenalty * broken;
  return clamp(P.recoveryMin, P.recoveryMax, p);
}

/** Points for the amount: log scale, so 10 000 € is not a hundred times 100 €. */
export function amountPoints(amountOverdueMinor: number): number {
  const major = Math.max(0, amountOverdueMinor) / 100;
  return (
    PRIORITY_WEIGHTS.amount * Math.min(1, Math.log(1 + major) / Math.log(1 + PRIORITY_PARAMS.amountCapMajor))
  );
}

export function latenessPoints(daysLate: number): number {
  return PRIORITY_WEIGHTS.lateness * Math.min(1, Math.max(0, daysLate) / PRIORITY_PARAMS.latenessCapDays);
}

export function revenueSharePoints(share: number): number {
  const s = Number.isFinite(share) ? Math.max(0, share) : 0;
  return PRIORITY_WEIGHTS.revenueShare * Math.min(1, s / PRIORITY_PARAMS.revenueShareCap);
}

/** The raw (unrounded) score: what SQL computes and ranks on. */
export function rawPriority(i: PriorityInput): number {
  return (
    amountPoints(i.amountOverdueMinor) +
    latenessPoints(i.daysLate) +
    PRIORITY_WEIGHTS.recovery * recoveryProbability(i) +
    (i.strategic ? PRIORITY_WEIGHTS.strategic : 0) +
    revenueSharePoints(i.revenueShare)
  );
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The score with each factor's contribution, rounded to a tenth of a point for display. */
export function priorityScore(i: PriorityInput): PriorityScore {
  const p = recoveryProbability(i);
  const W = PRIORITY_WEIGHTS;
  const factors: FactorContribution[] = [
    {
      factor: 'amount',
      points: amountPoints(i.amountOverdueMinor),
      max: W.amount,
      value: i.amountOverdueMinor,
    },
    { factor: 'lateness', points: latenessPoints(i.daysLate), max: W.lateness, value: i.daysLate },
    { factor: 'recovery', points: W.recovery * p, max: W.recovery, value: p },
    {
      factor: 'strategic',
      points: i.strategic ? W.strategic : 0,
      max: W.strategic,
      value: i.strategic ? 1 : 0,
    },
    {
      factor: 'revenueShare',
      points: revenueSharePoints(i.revenueShare),
      max: W.revenueShare,
      value: i.revenueShare,
    },
  ];
  const score = factors.reduce((s, f) => s + f.points, 0);
  return {
    score: round1(score),
    recoveryProbability: Math.round(p * 1000) / 1000,
    factors: factors
      .map((f) => ({ ...f, points: round1(f.points) }))
      .sort((a, b) => b.points - a.points || a.factor.localeCompare(b.factor)),
  };
}
