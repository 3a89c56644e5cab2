/** Aging buckets by days past due (0 or less: not due yet). Upper bounds inclusive. */
export const AGING_BUCKETS = [
  { key: 'notDue', minDays: Number.NEGATIVE_INFINITY, maxDays: 0 },
  { key: 'd1_30', minDays: 1, maxDays: 30 },
  { key: 'd31_60', minDays: 31, maxDays: 60 },
  { key: 'd61_90', minDays: 61, maxDays: 90 },
  { key: 'd90plus', minDays: 91, maxDays: Number.POSITIVE_INFINITY },
] as const;

export type AgingBucket = (typeof AGING_BUCKETS)[number]['key'];

export function agingBucket(daysPastDue: number): AgingBucket {
  for (const b of AGING_BUCKETS) if (daysPastDue >= b.minDays && daysPastDue <= b.maxDays) return b.key;
  return 'd90plus';
}

/** Share of `part` in `total` as a percentage with one decimal; 0 when there is no total. */
export function sharePercent(part: number, total: number): number {
  if (total <= 0) return 0;
  return Math.round((part * 1000) / total) / 10;
}
