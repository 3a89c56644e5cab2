import { AppError } from '../../errors.js';
import { addDays, addYears, daysBetween, type IsoDate, isIsoDate } from '../calendar/index.js';
import { getJurisdiction } from './jurisdictions/index.js';
import type { DebtorKind } from './types.js';

/** Events on a receivable that may interrupt its limitation period. */
export type LimitationEventType =
  | 'acknowledgment'
  | 'part_payment'
  | 'payment_plan_signed'
  | 'court_claim'
  | 'enforcement_act'
  | 'formal_notice';

export interface LimitationEvent {
  type: LimitationEventType;
  date: IsoDate;
}

export interface LimitationInput {
  jurisdiction: string;
  kind: DebtorKind;
  /** Delivery / completion of the service: starts the French periods (Cass. 1re civ. 19 May 2021). */
  performanceDate?: IsoDate;
  issueDate?: IsoDate;
  dueDate?: IsoDate;
  events?: LimitationEvent[];
}

export interface LimitationResult {
  start: IsoDate;
  startBasis: 'performance' | 'issue' | 'due';
  years: number;
  deadline: IsoDate;
  reference: string;
  /** Events that restarted the period, in order. */
  interruptions: { event: LimitationEvent; newDeadline: IsoDate }[];
  /** Events that did not change the deadline, and why. */
  ignored: { event: LimitationEvent; reason: string }[];
  /** The dates the worklist warns on: 90, 30 and 7 days before the deadline. */
  alerts: { daysBefore: number; date: IsoDate }[];
}

export const ALERT_DAYS = [90, 30, 7] as const;

// art. 2240 and 2244 C. civ., §212 BGB, Limitation Act 1980 s.29-30: acknowledgment (a part
// payment or a signed plan is one) and enforcement restart the period. A court claim
// (art. 2241) interrupts too; we restart from its date, which is conservative because the
// interruption really lasts until the proceedings end (art. 2242).
const INTERRUPTING: Record<LimitationEventType, string | null> = {
  acknowledgment: null,
  part_payment: null,
  payment_plan_signed: null,
  court_claim: null,
  enforcement_act: null,
  formal_notice:
    'a formal notice (mise en demeure, Mahnung, letter before action) does not interrupt limitation (art. 2240-2244 C. civ. a contrario; §212 BGB; Limitation Act 1980 s.29)',
};

/**
 * The last day to act on a receivable, and the warning dates. The deadline is the
 * anniversary date: the day of the starting event is not counted (art. 2228-2229 C. civ.,
 * §187(1) BGB), so the period runs out at the end of the same calendar date N years later.
 */
export function limitationDeadline(input: LimitationInput): LimitationResult {
  const jurisdiction = getJurisdiction(input.jurisdiction);
  const rule = jurisdiction.limitation(input.kind);
  if (!rule) {
    throw new AppError(
      'VALIDATION',
      `jurisdiction: ${jurisdiction.name} has no harmonised limitation period; choose a national jurisdiction`,
      [{ field: 'jurisdiction', value: input.jurisdiction, reason: 'no limitation rule' }],
    );
  }
  for (const [field, v] of [
    ['performanceDate', input.performanceDate],
    ['issueDate', input.issueDate],
    ['dueDate', input.dueDate],
  ] as const) {
    if (v !== undefined && !isIsoDate(v)) {
      throw new AppError('VALIDATION', `${field}: "${v}" is not a valid YYYY-MM-DD date`, [
        { field, value: v, reason: 'invalid date' },
      ]);
    }
  }
  let start: IsoDate | undefined;
  let startBasis: LimitationResult['startBasis'] = 'performance';
  const candidates: [LimitationResult['startBasis'], IsoDate | undefined][] =
    rule.startsFrom === 'performance'
      ? [
          ['performance', input.performanceDate],
          ['issue', input.issueDate],
          ['due', input.dueDate],
        ]
      : [
          ['due', input.dueDate],
          ['performance', input.performanceDate],
          ['issue', input.issueDate],
        ];
  for (const [basis, d] of candidates) {
    if (d) {
      start = d;
      startBasis = basis;
      break;
    }
  }
  if (!start) {
    throw new AppError(
      'VALIDATION',
      'performanceDate: a performance, issue or due date is needed to start the limitation period',
      [{ field: 'performanceDate', reason: 'missing' }],
    );
  }

  // §199(1) BGB: the regular period starts at the end of the year the claim arose.
  let deadline = rule.fromEndOfYear
    ? addYears(`${start.slice(0, 4)}-12-31`, rule.years)
    : addYears(start, rule.years);
  const cap = rule.capYears ? addYears(start, rule.capYears) : undefined;
  const interruptions: LimitationResult['interruptions'] = [];
  const ignored: LimitationResult['ignored'] = [];
  const events = [...(input.events ?? [])].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const event of events) {
    if (!isIsoDate(event.date)) {
      throw new AppError('VALIDATION', `events: "${event.date}" is not a valid date`, [
        { field: 'events', value: event.date, reason: 'invalid date' },
      ]);
    }
    const why = INTERRUPTING[event.type];
    if (why === undefined) {
      throw new AppError('VALIDATION', `events: unknown event type "${event.type}"`, [
        { field: 'events', value: event.type, reason: 'unknown type' },
      ]);
    }
    if (why) {
      ignored.push({ event, reason: why });
      continue;
    }
    if (event.date < start) {
      ignored.push({ event, reason: `before the start of the period (${start})` });
      continue;
    }
    if (event.date > deadline) {
      // An acknowledgment after the period ran out does not revive it; at most it may be a
      // waiver of the acquired limitation (art. 2250-2251 C. civ.), a question for a lawyer.
      ignored.push({
        event,
        reason: `after the claim lapsed on ${deadline}: it does not restart the period`,
      });
      continue;
    }
    // art. 2231 C. civ.: a new period of the same length; §212 BGB: Neubeginn from the
    // day after the acknowledgment, not from the year end.
    deadline = addYears(event.date, rule.years);
    interruptions.push({ event, newDeadline: deadline });
  }
  if (cap && deadline > cap) deadline = cap;
  return {
    start,
    startBasis,
    years: rule.years,
    deadline,
    reference: `${rule.reference}; ${rule.interruptionReference}${cap ? '; art. 2232 C. civ. (20-year cap)' : ''}`,
    interruptions,
    ignored,
    alerts: ALERT_DAYS.map((d) => ({ daysBefore: d, date: addDays(deadline, -d) })),
  };
}

export type LimitationStatus =
  | { state: 'running'; daysLeft: number }
  | { state: 'warning'; daysLeft: number; threshold: (typeof ALERT_DAYS)[number] }
  | { state: 'lapsed'; daysSince: number };

/** Where a claim stands on `today`: the tightest alert threshold reached, or lapsed. */
export function limitationStatus(
  result: Pick<LimitationResult, 'deadline'>,
  today: IsoDate,
): LimitationStatus {
  const daysLeft = daysBetween(today, result.deadline);
  if (daysLeft < 0) return { state: 'lapsed', daysSince: -daysLeft };
  const reached = [...ALERT_DAYS].reverse().find((t) => daysLeft <= t);
  return reached ? { state: 'warning', daysLeft, threshold: reached } : { state: 'running', daysLeft };
}
