/**
 * Dunning policies ("scénarios de relance") are data: an ordered list of steps timed
 * relative to the due date. They are versioned: a plan and every evidence entry point at
 * (policyId, version, stepKey), so editing a policy creates a new version and never
 * rewrites what was already sent.
 */

export type DunningChannel = 'email' | 'sms' | 'letter' | 'registered_letter' | 'call_task' | 'portal_notice';
export const DUNNING_CHANNELS: readonly DunningChannel[] = [
  'email',
  'sms',
  'letter',
  'registered_letter',
  'call_task',
  'portal_notice',
];

/** Channels that reach the debtor: they count against contact-pressure limits and quiet hours. */
export const CONTACT_CHANNELS: ReadonlySet<DunningChannel> = new Set([
  'email',
  'sms',
  'letter',
  'registered_letter',
]);

export type Tone = 'courteous' | 'firm' | 'formal' | 'legal';
export type PolicyKind = 'b2b' | 'b2c' | 'any';
export type CustomerKind = 'b2b' | 'b2c';
export type RiskBand = 'low' | 'medium' | 'high';

export type TaskKind =
  | 'call'
  | 'escalation_decision'
  | 'dispute'
  | 'broken_promise'
  | 'bounce'
  | 'reply'
  | 'review_send'
  | 'follow_up';
export const TASK_KINDS: readonly TaskKind[] = [
  'call',
  'escalation_decision',
  'dispute',
  'broken_promise',
  'bounce',
  'reply',
  'review_send',
  'follow_up',
];

export interface StepConditions {
  /** The item's outstanding balance must reach this many minor units. */
  minAmountMinor?: number;
  segments?: string[];
  customerKinds?: CustomerKind[];
  /** Matches only when the customer's risk band is known and listed. */
  riskBands?: RiskBand[];
}

export interface StepSideEffects {
  creditHold?: boolean;
  notifyOwner?: boolean;
  createTask?: { kind: TaskKind; title: string };
}

export type EscalationOption = 'legal_action' | 'collection_agency' | 'write_off' | 'payment_plan';

export interface DecisionTask {
  title: string;
  options: EscalationOption[];
}

export interface PolicyStep {
  /** Stable across versions and policies ("first_reminder"): history matches steps by key. */
  key: string;
  label: string;
  /** Days relative to the due date: -5 is five days before, 30 is thirty days after. */
  offsetDays: number;
  /** Not started more than this many days after the due date (a pre-due courtesy notice is
   * pointless once the invoice is late); the item then waits for the next step. */
  latestOffsetDays?: number;
  channels: DunningChannel[];
  templateKey: string;
  tone: Tone;
  conditions?: StepConditions;
  sideEffects?: StepSideEffects;
  /** Escalation: instead of a message, a human decides what happens next. */
  decisionTask?: DecisionTask;
  /** Formal notice: the debtor's deadline to pay, in days from the send. */
  deadlineDays?: number;
}

export interface DunningPolicy {
  id: string;
  key: string;
  name: string;
  version: number;
  kind: PolicyKind;
  /** false: every step becomes a task for a human (conciliatory handling of key accounts). */
  automaticSends: boolean;
  /** true: after a gap, missed steps are replayed one per run instead of jumping to the step the age calls for. */
  replayMissedSteps: boolean;
  steps: PolicyStep[];
}

export interface PolicyProblem {
  field: string;
  reason: string;
}

/** Structural checks on an edited policy; returns every problem rather than the first. */
export function validatePolicy(p: DunningPolicy): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (!p.key.trim()) problems.push({ field: 'key', reason: 'is empty' });
  if (!Number.isInteger(p.version) || p.version < 1)
    problems.push({ field: 'version', reason: 'must be a positive integer' });
  if (p.steps.length === 0) problems.push({ field: 'steps', reason: 'a policy needs at least one step' });
  const keys = new Set<string>();
  p.steps.forEach((s, i) => {
    const f = `steps[${i}]`;
    if (!/^[a-z0-9_]+$/.test(s.key)) problems.push({ field: `${f}.key`, reason: 'must be snake_case' });
    if (keys.has(s.key)) problems.push({ field: `${f}.key`, reason: `duplicate step key "${s.key}"` });
    keys.add(s.key);
    if (!Number.isInteger(s.offsetDays))
      problems.push({ field: `${f}.offsetDays`, reason: 'must be an integer' });
    const prev = p.steps[i - 1];
    if (prev && s.offsetDays <= prev.offsetDays)
      problems.push({
        field: `${f}.offsetDays`,
        reason: 'steps must be in strictly increasing offset order',
      });
    if (s.channels.length === 0 && !s.decisionTask)
      problems.push({ field: `${f}.channels`, reason: 'a step needs a channel or a decision task' });
    for (const c of s.channels)
      if (!DUNNING_CHANNELS.includes(c))
        problems.push({ field: `${f}.channels`, reason: `unknown channel "${c}"` });
    const min = s.conditions?.minAmountMinor;
    if (min !== undefined && (!Number.isSafeInteger(min) || min < 0))
      problems.push({ field: `${f}.conditions.minAmountMinor`, reason: 'must be a non-negative integer' });
  });
  return problems;
}

export interface StepContext {
  customerKind: CustomerKind;
  segment: string;
  riskBand: RiskBand | null;
  balanceMinor: number;
}

/** Why a step's conditions do not match, or null when they do. */
export function stepConditionMismatch(step: PolicyStep, ctx: StepContext): string | null {
  const c = step.conditions;
  if (!c) return null;
  if (c.minAmountMinor !== undefined && ctx.balanceMinor < c.minAmountMinor)
    return `balance ${ctx.balanceMinor} is below the step minimum ${c.minAmountMinor} (minor units)`;
  if (c.segments && !c.segments.includes(ctx.segment))
    return `segment "${ctx.segment}" is not one of ${c.segments.join(', ')}`;
  if (c.customerKinds && !c.customerKinds.includes(ctx.customerKind))
    return `customer kind ${ctx.customerKind} is not one of ${c.customerKinds.join(', ')}`;
  if (c.riskBands) {
    if (ctx.riskBand === null) return 'the step needs a risk band and the customer has none';
    if (!c.riskBands.includes(ctx.riskBand))
      return `risk band ${ctx.riskBand} is not one of ${c.riskBands.join(', ')}`;
  }
  return null;
}

/** Index of the last step whose offset is reached `daysFromDue` days after the due date, -1 if none. */
export function stepIndexForAge(policy: DunningPolicy, daysFromDue: number): number {
  // Not a search that stops early: offsets are validated increasing, but a stored policy
  // predating that check must give the same answer as before.
  let idx = -1;
  const steps = policy.steps;
  for (let i = 0; i < steps.length; i++) if ((steps[i] as PolicyStep).offsetDays <= daysFromDue) idx = i;
  return idx;
}

/** The newest version of each key (policies are stored with every version kept). */
export function latestVersion(policies: DunningPolicy[], key: string): DunningPolicy | undefined {
  let best: DunningPolicy | undefined;
  for (const p of policies) if (p.key === key && (!best || p.version > best.version)) best = p;
  return best;
}
