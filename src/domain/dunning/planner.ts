import { addDays, compareDates, daysBetween, type IsoDate, maxDate } from '../calendar/index.js';
import { type CatchUpOptions, decideStep, doneLevel, nextStepDate, type StepDoneInfo } from './catch-up.js';
import { groupIntoActions, type UnitDue } from './grouping.js';
import { localParts } from './local-time.js';
import { type DunningUnit, exclusionOf, unitId, unitsOf } from './pauses.js';
import { CONTACT_CHANNELS, type DunningPolicy } from './policy.js';
import { contactsInWindow, pressureBlock, type SendBlock, sendTimeBlock } from './pressure.js';
import { choosePolicy, type PolicyRule, type PolicySelection } from './selection.js';
import type { CustomerPlan, PlannedAction, PlannerInput, PostponedAction, SkippedStep } from './types.js';

/** Shared by every unit with no step done yet (most of a first run): never mutated. */
const NOTHING_DONE: ReadonlyMap<string, StepDoneInfo> = new Map();

/**
 * The dunning planner: for one customer at one instant, what is due now, what must wait
 * (and until when), what is excluded and why, and when to look again. Pure: the caller
 * loads the state and stores the result, so a preview (dry run) and the scheduled run
 * are the same computation.
 */
export function planCustomer(input: PlannerInput): CustomerPlan {
  const { customer, policy, settings, now } = input;
  const timeZone = customer.timeZone ?? settings.defaultTimeZone;
  const local = localParts(now, timeZone);
  const today = local.date;
  const replay = settings.catchUpReplay ?? policy.replayMissedSteps;
  const opts: CatchUpOptions = {
    onboardingSpacingDays: settings.onboardingSpacingDays ?? (replay ? 1 : null),
    postalDelayDays: settings.postalDelayDays ?? 3,
    holidayCountry: settings.holidayCountry,
  };

  const doneByUnit = new Map<string, Map<string, StepDoneInfo>>();
  for (const h of input.history) {
    const id = unitId(h);
    let map = doneByUnit.get(id);
    if (!map) {
      map = new Map();
      doneByUnit.set(id, map);
    }
    const sent = h.sentAt === undefined ? h.at : h.sentAt;
    map.set(h.stepKey, {
      at: localParts(h.at, timeZone).date,
      sentOn: sent ? localParts(sent, timeZone).date : null,
      deliveredOn: h.deliveredAt ? localParts(h.deliveredAt, timeZone).date : null,
      postal: h.postal ?? false,
    });
  }

  const excluded: CustomerPlan['excluded'] = [];
  const skipped: SkippedStep[] = [];
  const due: UnitDue[] = [];
  // Only the earliest matters: kept as a running minimum rather than a list sorted at the end.
  let nextActionDate: IsoDate | null = null;
  const tomorrow = addDays(today, 1);
  const eligible: { unit: DunningUnit; daysLate: number; level: number }[] = [];

  for (const item of input.items) {
    for (const unit of unitsOf(item)) {
      const done = doneByUnit.size === 0 ? NOTHING_DONE : (doneByUnit.get(unitId(unit)) ?? NOTHING_DONE);
      const ex = exclusionOf(unit, today, input.pauses, input.promises);
      if (ex) {
        // A paid instalment of a still-open invoice is not worth listing; a paid invoice is.
        if (!(ex.reason === 'paid' && unit.instalmentSeq !== null && item.balanceMinor > 0))
          excluded.push(ex);
        if (ex.resumesOn) {
          const level = doneLevel(policy, done);
          nextActionDate = earliest(nextActionDate, nextStepDate(policy, unit.dueDate, level, ex.resumesOn));
        }
        continue;
      }
      const daysLate = daysBetween(unit.dueDate, today);
      const decision = decideStep(policy, daysLate, done, ctxOf(input, unit), today, opts);
      for (const s of decision.skipped) {
        const step = policy.steps[s.index];
        if (step)
          skipped.push({
            invoiceId: unit.invoiceId,
            instalmentSeq: unit.instalmentSeq,
            stepKey: step.key,
            reason: s.reason,
          });
      }
      if (decision.waiting !== null) {
        const step = policy.steps[decision.level + 1];
        if (step)
          skipped.push({
            invoiceId: unit.invoiceId,
            instalmentSeq: unit.instalmentSeq,
            stepKey: step.key,
            reason: decision.waiting,
          });
      }
      if (decision.dueIndex !== null)
        due.push({
          unit,
          daysLate,
          stepIndex: decision.dueIndex,
          catchUp: decision.catchUp,
          nextDate: decision.nextDate,
        });
      eligible.push({ unit, daysLate, level: decision.level });
      if (decision.nextDate !== null)
        nextActionDate = earliest(nextActionDate, maxDate(decision.nextDate, tomorrow));
    }
  }

  const candidates = groupIntoActions(input, due, eligible, today);
  const actions: PlannedAction[] = [];
  const postponed: PostponedAction[] = [];
  // Both depend on the customer and the instant only: worked out at the first action that
  // reaches the debtor, not for customers with nothing to send.
  let window: Date[] | null = null;
  let timeBlock: SendBlock | null | undefined;
  for (const action of candidates) {
    const contacts = action.kind === 'send' && action.channels.some((c) => CONTACT_CHANNELS.has(c.channel));
    if (contacts) {
      window ??= contactsInWindow(input.recentContacts, now);
      if (timeBlock === undefined) timeBlock = sendTimeBlock(now, timeZone, settings);
      const block = timeBlock ?? pressureBlock(window, now, timeZone, settings);
      if (block) {
        postponed.push({ action, ...block });
        nextActionDate = earliest(nextActionDate, block.nextTryDate);
        continue;
      }
      // Later actions of the same run (per-item mode) count this one against the limit.
      window.push(now);
    }
    actions.push(action);
  }

  return {
    customerId: customer.id,
    localDate: today,
    localTime: `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`,
    timeZone,
    actions,
    postponed,
    skipped,
    excluded,
    nextActionDate,
  };
}

function earliest(a: IsoDate | null, b: IsoDate | null): IsoDate | null {
  if (a === null) return b;
  return b === null || compareDates(a, b) <= 0 ? a : b;
}

/** A customer's state as a run loads it: the planner's input before a policy is chosen. */
export interface LoadedCustomer extends Omit<PlannerInput, 'policy' | 'settings' | 'now'> {
  policyOverride: string | null;
  /** The risk model's latest score 0–100 (src/domain/scoring), null if never scored. */
  riskScore?: number | null;
}

/**
 * What a run does per customer: choose the policy over the customer's open balance and risk
 * score, then plan under it. Null when no stored policy applies.
 */
export function planByRules(
  state: LoadedCustomer,
  rules: PolicyRule[],
  policies: DunningPolicy[],
  settings: PlannerInput['settings'],
  now: Date,
): { plan: CustomerPlan; policy: DunningPolicy; selection: PolicySelection } | null {
  let exposure = 0;
  for (const i of state.items) exposure += i.balanceMinor;
  const chosen = choosePolicy(
    rules,
    policies,
    {
      kind: state.customer.kind,
      segment: state.customer.segment,
      riskScore: state.riskScore ?? null,
      policyOverride: state.policyOverride,
    },
    exposure,
  );
  if (!chosen?.policy) return null;
  // A literal of one shape, not a spread of the state: the planner reads these fields per
  // unit, and a spread object measured twice as slow over 200k invoices.
  const plan = planCustomer({
    customer: state.customer,
    policy: chosen.policy,
    items: state.items,
    history: state.history,
    recentContacts: state.recentContacts,
    pauses: state.pauses,
    promises: state.promises,
    settings,
    now,
  });
  return { plan, policy: chosen.policy, selection: chosen.selection };
}

function ctxOf(input: PlannerInput, unit: DunningUnit) {
  return {
    customerKind: input.customer.kind,
    segment: input.customer.segment,
    riskBand: input.customer.riskBand,
    balanceMinor: unit.balanceMinor,
  };
}
