import { addDays, daysBetween, type IsoDate, maxDate, nextWorkingDay } from '../calendar/index.js';
import {
  type DunningPolicy,
  type PolicyStep,
  type StepContext,
  stepConditionMismatch,
  stepIndexForAge,
} from './policy.js';

/**
 * Which step an item is due for today (decision 021). Steps are walked in order, one at a
 * time: an item enters the policy at its first step that applies, never further, whatever
 * its age (a backlog imported 650 days late starts with the first reminder), and a step is
 * planned only once the step before it was actually sent — a second reminder presupposes
 * a first one, a mise en demeure earlier reminders, an escalation the notice and its
 * deadline. Between two steps the item waits the policy's spacing (the difference of their
 * offsets), or the organisation's shorter onboarding spacing while it catches up. A step
 * already done never fires again.
 */
export interface StepDecision {
  /** Index into policy.steps of the step due today, or null. */
  dueIndex: number | null;
  /** Steps passed over because their conditions did not match, with why. */
  skipped: { index: number; reason: string }[];
  /** The highest step index done or due after today's action (-1: none). */
  level: number;
  /** The due step is reached late: the item's age already calls for a later step ("backlog catch-up"). */
  catchUp: boolean;
  /** Why nothing is due though the age calls for a step (waiting for a send, spacing, a deadline). */
  waiting: string | null;
  /** Earliest date the next step can come, assuming today's step (if any) is sent today. */
  nextDate: IsoDate | null;
}

/** What the planner knows of a step already carried out for an item, in the debtor's dates. */
export interface StepDoneInfo {
  /** Local date the step was recorded (planned). */
  at: IsoDate;
  /** Local date it actually went out; null while it has not (awaiting approval, printing, failed). */
  sentOn: IsoDate | null;
  /** Local date it reached the debtor (an acknowledgement of receipt), when recorded. */
  deliveredOn: IsoDate | null;
  /** Sent by post: without a receipt, a deadline counts from posting plus the postal delay. */
  postal: boolean;
}

export interface CatchUpOptions {
  /** Days between two steps while catching up a backlog; null = the policy's spacing. */
  onboardingSpacingDays: number | null;
  /** Days a letter takes to arrive when no receipt is recorded. */
  postalDelayDays: number;
  holidayCountry: string;
}

export const DEFAULT_POSTAL_DELAY_DAYS = 3;

/**
 * The last day of a step's deadline (a mise en demeure's "15 days to pay"): counted from
 * delivery, or posting plus the postal delay, and rolled to a working day (CPC art. 642).
 */
export function deadlineEnd(done: StepDoneInfo, deadlineDays: number, opts: CatchUpOptions): IsoDate | null {
  if (!done.sentOn) return null;
  const from = done.deliveredOn ?? (done.postal ? addDays(done.sentOn, opts.postalDelayDays) : done.sentOn);
  return nextWorkingDay(addDays(from, deadlineDays), opts.holidayCountry);
}

function gapDays(
  policy: DunningPolicy,
  from: number,
  to: number,
  catchUp: boolean,
  opts: CatchUpOptions,
): number {
  const a = policy.steps[from] as PolicyStep;
  const b = policy.steps[to] as PolicyStep;
  const gap = Math.max(1, b.offsetDays - Math.max(a.offsetDays, 0));
  if (!catchUp) return gap;
  const onboarding = opts.onboardingSpacingDays;
  return onboarding === null ? gap : Math.max(1, Math.min(gap, onboarding));
}

/** The earliest date step `to` may follow step `from`, done as `done`: spacing, then the deadline. */
function earliestAfter(
  policy: DunningPolicy,
  from: number,
  to: number,
  done: { sentOn: IsoDate } & StepDoneInfo,
  catchUp: boolean,
  opts: CatchUpOptions,
): IsoDate {
  let earliest = addDays(done.sentOn, gapDays(policy, from, to, catchUp, opts));
  const prev = policy.steps[from] as PolicyStep;
  if (prev.deadlineDays !== undefined) {
    const end = deadlineEnd(done, prev.deadlineDays, opts);
    if (end) earliest = maxDate(earliest, addDays(end, 1));
  }
  return earliest;
}

/** The index of the last step done for an item, -1 when none. */
export function doneLevel(policy: DunningPolicy, done: ReadonlyMap<string, StepDoneInfo>): number {
  if (done.size > 0)
    for (let i = policy.steps.length - 1; i >= 0; i--)
      if (done.has((policy.steps[i] as PolicyStep).key)) return i;
  return -1;
}

export function decideStep(
  policy: DunningPolicy,
  daysLate: number,
  done: ReadonlyMap<string, StepDoneInfo>,
  ctx: StepContext,
  today: IsoDate,
  opts: CatchUpOptions,
): StepDecision {
  const steps = policy.steps;
  let doneIdx = -1;
  let last: StepDoneInfo | undefined;
  if (done.size > 0)
    for (let i = steps.length - 1; i >= 0; i--) {
      const d = done.get((steps[i] as PolicyStep).key);
      if (d) {
        doneIdx = i;
        last = d;
        break;
      }
    }
  const skipped: { index: number; reason: string }[] = [];
  const ageIdx = stepIndexForAge(policy, daysLate);
  const dueDate = addDays(today, -daysLate);
  // The next step that applies to this item; steps whose conditions do not match are passed over.
  let next = -1;
  for (let i = doneIdx + 1; i < steps.length; i++) {
    const step = steps[i] as PolicyStep;
    let why = stepConditionMismatch(step, ctx);
    if (why === null && step.latestOffsetDays !== undefined && daysLate > step.latestOffsetDays)
      why = `${step.label} is only started up to ${step.latestOffsetDays} day(s) after the due date`;
    if (why === null) {
      next = i;
      break;
    }
    // Only reported once the age reaches it: a future step is not "skipped" yet.
    if (step.offsetDays <= daysLate) skipped.push({ index: i, reason: why });
  }
  const none = (waiting: string | null, nextDate: IsoDate | null): StepDecision => ({
    dueIndex: null,
    skipped,
    level: doneIdx,
    catchUp: false,
    waiting,
    nextDate,
  });
  if (next < 0) return none(null, null);
  const step = steps[next] as PolicyStep;
  const byAge = addDays(dueDate, step.offsetDays);
  const catchUp = ageIdx > next;
  let earliest = byAge;
  if (last && doneIdx >= 0) {
    const prev = steps[doneIdx] as PolicyStep;
    if (!last.sentOn)
      // Nothing is known to have reached the debtor: the next step cannot presuppose it.
      return none(
        step.offsetDays <= daysLate ? `${step.label} waits: the ${prev.label} has not been sent yet` : null,
        byAge,
      );
    earliest = maxDate(
      earliest,
      earliestAfter(policy, doneIdx, next, { ...last, sentOn: last.sentOn }, catchUp, opts),
    );
  }
  if (today < earliest) {
    const waiting =
      step.offsetDays <= daysLate
        ? `${step.label} waits until ${earliest} (spacing after the ${(steps[doneIdx] as PolicyStep | undefined)?.label ?? 'previous step'}${(steps[doneIdx] as PolicyStep | undefined)?.deadlineDays !== undefined ? ' and its deadline' : ''})`
        : null;
    return none(waiting, earliest);
  }
  // Due today: when could the step after it come, if this one is sent today?
  let nextDate: IsoDate | null = null;
  for (let j = next + 1; j < steps.length; j++) {
    const s = steps[j] as PolicyStep;
    if (stepConditionMismatch(s, ctx) !== null) continue;
    const after = earliestAfter(
      policy,
      next,
      j,
      { at: today, sentOn: today, deliveredOn: null, postal: step.channels.some(isPostal) },
      ageIdx > j,
      opts,
    );
    nextDate = maxDate(after, addDays(dueDate, s.offsetDays));
    break;
  }
  return { dueIndex: next, skipped, level: next, catchUp, waiting: null, nextDate };
}

const isPostal = (c: string) => c === 'letter' || c === 'registered_letter';

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
