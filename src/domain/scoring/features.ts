/**
 * Features of an invoice, computed only from what was known on a given day (decision 034):
 * the customer's history counts an invoice only when it was SETTLED strictly before that day,
 * a broken promise only when it was broken before it. Training computes them as of each
 * invoice's issue date; scoring an open invoice does the same; the customer score asks for a
 * hypothetical new invoice as of today.
 */
import type { Matrix } from './gbdt.js';

/** One invoice of the ledger, in day numbers (see days.ts). */
export interface LedgerInvoice {
  id: string;
  customerId: string;
  issueDay: number;
  dueDay: number;
  /** Gross amount, minor units. */
  amountMinor: number;
  currency: string;
  disputed: boolean;
  /** Day the last payment settled it; null while open (or closed by credit/write-off). */
  settledDay: number | null;
}

/** A promise to pay the customer broke, dated when it was marked broken. */
export interface BrokenPromise {
  customerId: string;
  day: number;
}

/** "What would we know about an invoice of this customer, on this day?" */
export interface FeatureQuery {
  customerId: string;
  asOfDay: number;
  amountMinor: number;
  termsDays: number;
  disputed: boolean;
  /** 1..12. */
  month: number;
}

export const FEATURE_NAMES = [
  'priorCount',
  'lateShare',
  'meanDaysLate',
  'lastDaysLate',
  'meanDaysLate12m',
  'meanDaysLateLast3',
  'meanDaysLateUndisputed',
  'disputeShare',
  'openCount',
  'logAmount',
  'amountRatio',
  'termsDays',
  'disputed',
  'month',
  'brokenPromises',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];
export const FEATURE_COUNT = FEATURE_NAMES.length;
export const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;

const YEAR = 365;

interface Settled {
  day: number;
  daysLate: number;
  amountMinor: number;
  disputed: boolean;
}

function listOf<T>(m: Map<string, T[]>, key: string): T[] {
  let l = m.get(key);
  if (!l) {
    l = [];
    m.set(key, l);
  }
  return l;
}

/**
 * One row of FEATURE_COUNT numbers per query, in the order given. Linear in the ledger
 * (one sweep per customer over its settled invoices sorted by settlement day).
 */
export function buildFeatures(
  invoices: readonly LedgerInvoice[],
  promises: readonly BrokenPromise[],
  queries: readonly FeatureQuery[],
): Matrix {
  const settledBy = new Map<string, Settled[]>();
  const issuedBy = new Map<string, number[]>();
  for (const inv of invoices) {
    listOf(issuedBy, inv.customerId).push(inv.issueDay);
    if (inv.settledDay === null) continue;
    listOf(settledBy, inv.customerId).push({
      day: inv.settledDay,
      daysLate: inv.settledDay - inv.dueDay,
      amountMinor: inv.amountMinor,
      disputed: inv.disputed,
    });
  }
  for (const s of settledBy.values()) s.sort((a, b) => a.day - b.day);
  for (const s of issuedBy.values()) s.sort((a, b) => a - b);
  const brokenBy = new Map<string, number[]>();
  for (const p of promises) {
    listOf(brokenBy, p.customerId).push(p.day);
  }
  for (const b of brokenBy.values()) b.sort((a, c) => a - c);

  const data = new Float64Array(queries.length * FEATURE_COUNT);
  // Queries of one customer in day order, so each customer's history is swept once.
  const order = queries.map((_, i) => i);
  order.sort((a, b) => {
    const qa = queries[a] as FeatureQuery;
    const qb = queries[b] as FeatureQuery;
    return qa.customerId < qb.customerId ? -1 : qa.customerId > qb.customerId ? 1 : qa.asOfDay - qb.asOfDay;
  });
  let current = '';
  let settled: Settled[] = [];
  let issued: number[] = [];
  let broken: number[] = [];
  let ps = 0; // settled before asOf: settled[0..ps)
  let pw = 0; // start of the 12-month window
  let pi = 0;
  let pb = 0;
  let n = 0;
  let late = 0;
  let sumLate = 0;
  let sumAmount = 0;
  let disputes = 0;
  let winN = 0;
  let winSum = 0;
  let undN = 0;
  let undSum = 0;
  for (const qi of order) {
    const q = queries[qi] as FeatureQuery;
    if (q.customerId !== current) {
      current = q.customerId;
      settled = settledBy.get(current) ?? [];
      issued = issuedBy.get(current) ?? [];
      broken = brokenBy.get(current) ?? [];
      ps = pw = pi = pb = 0;
      n = late = sumLate = sumAmount = disputes = winN = winSum = undN = undSum = 0;
    }
    while (ps < settled.length && (settled[ps] as Settled).day < q.asOfDay) {
      const s = settled[ps] as Settled;
      n++;
      if (s.daysLate > 0) late++;
      sumLate += s.daysLate;
      sumAmount += s.amountMinor;
      if (s.disputed) disputes++;
      else {
        undN++;
        undSum += s.daysLate;
      }
      winN++;
      winSum += s.daysLate;
      ps++;
    }
    while (pw < ps && (settled[pw] as Settled).day < q.asOfDay - YEAR) {
      winN--;
      winSum -= (settled[pw] as Settled).daysLate;
      pw++;
    }
    while (pi < issued.length && (issued[pi] as number) < q.asOfDay) pi++;
    while (pb < broken.length && (broken[pb] as number) < q.asOfDay) pb++;
    const meanLate = n > 0 ? sumLate / n : 0;
    let last3 = 0;
    const k = Math.min(3, ps);
    for (let j = ps - k; j < ps; j++) last3 += (settled[j] as Settled).daysLate;
    const o = qi * FEATURE_COUNT;
    data[o + F.priorCount] = n;
    data[o + F.lateShare] = (late + 1) / (n + 2);
    data[o + F.meanDaysLate] = meanLate;
    data[o + F.lastDaysLate] = ps > 0 ? (settled[ps - 1] as Settled).daysLate : 0;
    data[o + F.meanDaysLate12m] = winN > 0 ? winSum / winN : meanLate;
    data[o + F.meanDaysLateLast3] = k > 0 ? last3 / k : 0;
    data[o + F.meanDaysLateUndisputed] = undN > 0 ? undSum / undN : meanLate;
    data[o + F.disputeShare] = n > 0 ? disputes / n : 0;
    data[o + F.openCount] = pi - ps;
    data[o + F.logAmount] = Math.log10(1 + Math.max(0, q.amountMinor) / 100);
    data[o + F.amountRatio] = n > 0 && sumAmount > 0 ? q.amountMinor / (sumAmount / n) : 1;
    data[o + F.termsDays] = q.termsDays;
    data[o + F.disputed] = q.disputed ? 1 : 0;
    data[o + F.month] = q.month;
    data[o + F.brokenPromises] = pb;
  }
  return { rows: queries.length, cols: FEATURE_COUNT, data };
}

/** The feature row of one query (tests and explanations). */
export function featureRow(m: Matrix, i: number): Record<FeatureName, number> {
  return Object.fromEntries(
    FEATURE_NAMES.map((name, f) => [name, m.data[i * m.cols + f] as number]),
  ) as Record<FeatureName, number>;
}
