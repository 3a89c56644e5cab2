import { addDays, compareDates, type IsoDate } from '../calendar/index.js';

export interface ScheduledInstalment {
  seq: number;
  dueDate: IsoDate;
  amountMinor: number;
}

export interface InstalmentProgress extends ScheduledInstalment {
  paidMinor: number;
  status: 'due' | 'paid' | 'missed';
}

/**
 * What has been paid towards the plan settles its instalments in order (down payment first),
 * whatever the payment's own date: the debtor who pays two months at once is ahead, not
 * late. An instalment not fully paid once its due date plus the grace days has passed is
 * missed; with `today` null nothing is judged late (only payments are counted).
 * `paidTotal` is clamped to [0, total].
 */
export function instalmentProgress(
  schedule: readonly ScheduledInstalment[],
  paidTotal: number,
  today: IsoDate | null,
  graceDays: number,
): InstalmentProgress[] {
  let left = Math.max(0, paidTotal);
  return [...schedule]
    .sort((a, b) => a.seq - b.seq)
    .map((i) => {
      const paid = Math.min(i.amountMinor, left);
      left -= paid;
      const late = today !== null && compareDates(addDays(i.dueDate, graceDays), today) < 0;
      const status = paid >= i.amountMinor ? 'paid' : late ? 'missed' : 'due';
      return { ...i, paidMinor: paid, status };
    });
}

export type PlanStanding = 'completed' | 'in_good_standing' | 'missed';

export function planStanding(progress: readonly InstalmentProgress[]): PlanStanding {
  if (progress.every((i) => i.status === 'paid')) return 'completed';
  return progress.some((i) => i.status === 'missed') ? 'missed' : 'in_good_standing';
}
