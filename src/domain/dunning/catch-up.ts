import { addDays, daysBetween, type IsoDate, maxDate } from '../calendar/index.js';
import {
  type DunningPolicy,
  type PolicyStep,
  type StepContext,
  stepConditionMismatch,
  stepIndexForAge,
} from './policy.js';

/**
 * Which step an item is due for today. Catch-up semantics: an item that reaches several
 * steps at once (imported late, or the scheduler was down) gets only the highest step its
 * age calls for, never the missed ones in a burst — unless replay is on, in which case the
 * missed steps are sent one per run, in order. A step already done never fires again.
 */
export interface StepDecision {
  /** Index into policy.steps of the step due today, or null. */
  dueIndex: number | null;
  /** Steps passed over because their conditions did not match, with why. */
  skipped: { index: number; reason: string }[];
  /** The highest step index reached after today's action (done, due or passed over). */
  level: number;
}

export function decideStep(
  policy: DunningPolicy,
  daysLate: number,
  doneKeys: ReadonlySet<string>,
  ctx: StepContext,
  replay: boolean,
): StepDecision {
  const steps = policy.steps;
  let doneIdx = -1;
  if (doneKeys.size > 0)
    for (let i = steps.length - 1; i >= 0; i--)
      if (doneKeys.has((steps[i] as PolicyStep).key)) {
        doneIdx = i;
        break;
      }
  const ageIdx = stepIndexForAge(policy, daysLate);
  const skipped: { index: number; reason: string }[] = [];
  if (ageIdx <= doneIdx) return { dueIndex: null, skipped, level: doneIdx };
  // Replay walks the missed steps oldest first; otherwise the highest step the age calls for
  // is tried first, falling back to lower ones whose conditions match.
  const first = replay ? doneIdx + 1 : ageIdx;
  const dir = replay ? 1 : -1;
  for (let i = first; replay ? i <= ageIdx : i > doneIdx; i += dir) {
    const step = steps[i];
    if (!step) continue;
    let why = stepConditionMismatch(step, ctx);
    if (why === null && step.latestOffsetDays !== undefined && daysLate > step.latestOffsetDays)
      why = `${step.label} is only started up to ${step.latestOffsetDays} day(s) after the due date`;
    if (why === null) return { dueIndex: i, skipped, level: replay ? i : ageIdx };
    skipped.push({ index: i, reason: why });
  }
  return { dueIndex: null, skipped, level: ageIdx };
}

/** The date the next step after `level` becomes due for an item, never before `notBefore`. */
export function nextStepDate(
  policy: DunningPolicy,
  dueDate: IsoDate,
  level: number,
  notBefore: IsoDate,
): IsoDate | null {
  const next = policy.steps[level + 1];
  if (!next) return null;
  return maxDate(addDays(dueDate, next.offsetDays), notBefore);
}

export const daysLateOn = (dueDate: IsoDate, today: IsoDate): number => daysBetween(dueDate, today);
