import type { IsoDate } from '../calendar/index.js';
import { resolveChannels } from './channels.js';
import { idempotencyKey } from './idempotency.js';
import { type DunningUnit, unitId } from './pauses.js';
import type { PolicyStep, TaskKind } from './policy.js';
import type { ActionItem, PlannedAction, PlannerInput } from './types.js';

/**
 * Statement grouping: one reminder per customer per run, at the highest step any of its
 * items is due for, listing every item due for that step or a lower one (each item records
 * its own step), plus the customer's other overdue items for context — a statement of
 * account rather than one message per invoice. Per-item mode makes one action per item.
 */
export interface UnitDue {
  unit: DunningUnit;
  daysLate: number;
  stepIndex: number;
  /** Reached later than its age calls for: a backlog item catching up. */
  catchUp?: boolean;
  /** Earliest date of the item's following step if this one is sent today. */
  nextDate?: IsoDate | null;
}

function toItem(u: DunningUnit, daysLate: number, stepKey: string): ActionItem {
  return {
    invoiceId: u.invoiceId,
    invoiceNumber: u.invoiceNumber,
    instalmentSeq: u.instalmentSeq,
    issueDate: u.item.issueDate ?? null,
    dueDate: u.dueDate,
    amountMinor: u.amountMinor,
    balanceMinor: u.balanceMinor,
    currency: u.currency,
    daysLate,
    stepKey,
  };
}

function itemLabel(i: ActionItem): string {
  return i.instalmentSeq === null
    ? `invoice ${i.invoiceNumber}`
    : `instalment ${i.instalmentSeq} of invoice ${i.invoiceNumber}`;
}

function ageText(daysLate: number): string {
  if (daysLate < 0) return `is due in ${-daysLate} day${daysLate === -1 ? '' : 's'}`;
  if (daysLate === 0) return 'is due today';
  return `is ${daysLate} day${daysLate === 1 ? '' : 's'} overdue`;
}

function taskKindOf(step: PolicyStep, automaticSends: boolean): TaskKind | null {
  if (step.decisionTask) return 'escalation_decision';
  if (step.channels.length > 0 && step.channels.every((c) => c === 'call_task')) return 'call';
  if (!automaticSends) return 'review_send';
  return null;
}

/** Balance per currency over both lists, currencies in code order. */
function totalsOf(
  items: ActionItem[],
  statementItems: ActionItem[],
): { currency: string; balanceMinor: number }[] {
  // Nearly every action is in one currency: a short list beats a Map and its entry arrays.
  const totals: { currency: string; balanceMinor: number }[] = [];
  for (const list of [items, statementItems])
    for (const i of list) {
      const t = totals.find((x) => x.currency === i.currency);
      if (t) t.balanceMinor += i.balanceMinor;
      else totals.push({ currency: i.currency, balanceMinor: i.balanceMinor });
    }
  if (totals.length > 1) totals.sort((a, b) => a.currency.localeCompare(b.currency));
  return totals;
}

function byAgeThenNumber(a: ActionItem, b: ActionItem): number {
  return (
    b.daysLate - a.daysLate ||
    a.invoiceNumber.localeCompare(b.invoiceNumber) ||
    (a.instalmentSeq ?? 0) - (b.instalmentSeq ?? 0)
  );
}

function buildAction(
  input: PlannerInput,
  stepIndex: number,
  items: ActionItem[],
  statementItems: ActionItem[],
  today: IsoDate,
  dues: UnitDue[],
): PlannedAction {
  const { policy, customer, settings } = input;
  const step = policy.steps[stepIndex] as PolicyStep;
  items.sort(byAgeThenNumber);
  statementItems.sort(byAgeThenNumber);
  const taskKind = taskKindOf(step, policy.automaticSends);
  const kind = taskKind === null ? 'send' : 'task';
  const resolved = step.decisionTask
    ? { channels: [], notes: [] }
    : resolveChannels(step.channels, customer, settings);
  // A consumer must never receive the business wording: the 40 € indemnity of Code de
  // commerce L441-10 II applies between professionals only, and collection fees cannot be
  // charged to a consumer (CPCE L111-8). Guard against a B2B policy forced on a consumer.
  const templateKey = templateKeyFor(step.templateKey, customer.kind);
  if (templateKey !== step.templateKey)
    resolved.notes.push(`consumer: template ${templateKey} used instead of ${step.templateKey}`);
  const lead = items[0] as ActionItem;
  const others = items.length - 1;
  let reason = `${itemLabel(lead)} ${ageText(lead.daysLate)}; step ${stepIndex + 1} (${step.label}) of policy ${policy.key} v${policy.version}`;
  if (others > 0)
    reason += `; with ${others} other item${others === 1 ? '' : 's'} at the same or a lower step`;
  if (!policy.automaticSends && !step.decisionTask)
    reason += '; conciliatory policy: a human reviews before anything is sent';
  const catchUp = dues.some((d) => d.catchUp);
  // The action's next step: the earliest any of its items could take its following step.
  let nextStep: PlannedAction['nextStep'] = null;
  for (const d of dues) {
    const following = input.policy.steps[d.stepIndex + 1];
    if (!d.nextDate || !following) continue;
    if (!nextStep || d.nextDate < nextStep.date)
      nextStep = { key: following.key, label: following.label, date: d.nextDate };
  }
  if (catchUp)
    reason += `; backlog catch-up: entered at the first step its history allows${nextStep ? `, next step (${nextStep.label}) not before ${nextStep.date}` : ''}`;
  return {
    customerId: customer.id,
    policyId: policy.id,
    policyKey: policy.key,
    policyVersion: policy.version,
    stepKey: step.key,
    stepLabel: step.label,
    templateKey,
    tone: step.tone,
    kind,
    taskKind,
    channels: resolved.channels,
    channelNotes: resolved.notes,
    items,
    statementItems,
    totals: totalsOf(items, statementItems),
    reason,
    idempotencyKey: idempotencyKey({
      customerId: customer.id,
      policyKey: policy.key,
      stepKey: step.key,
      unitIds: items.map(unitId),
    }),
    plannedFor: today,
    sideEffects: step.sideEffects ?? {},
    decisionTask: step.decisionTask ?? null,
    deadlineDays: step.deadlineDays ?? null,
    catchUp,
    nextStep,
  };
}

/**
 * Escalation decisions are tasks, not messages: they never absorb a lower item's reminder
 * (that item still needs its own message), so they form their own action.
 */
export function groupIntoActions(
  input: PlannerInput,
  due: UnitDue[],
  eligible: { unit: DunningUnit; daysLate: number; level: number }[],
  today: IsoDate,
): PlannedAction[] {
  const steps = input.policy.steps;
  const actions: PlannedAction[] = [];
  if (!input.settings.statementGrouping) {
    for (const d of due) actions.push(buildAction(input, d.stepIndex, [dueItem(steps, d)], [], today, [d]));
    return actions;
  }
  const messages: UnitDue[] = [];
  const decisions: UnitDue[] = [];
  let leadIndex = -1;
  for (const d of due) {
    if ((steps[d.stepIndex] as PolicyStep).decisionTask) decisions.push(d);
    else {
      messages.push(d);
      if (d.stepIndex > leadIndex) leadIndex = d.stepIndex;
    }
  }
  if (messages.length > 0) {
    const ids = new Set<string>();
    const items: ActionItem[] = [];
    for (const d of messages) {
      ids.add(unitId(d.unit));
      items.push(dueItem(steps, d));
    }
    const statementItems: ActionItem[] = [];
    for (const e of eligible)
      if (e.daysLate > 0 && !ids.has(unitId(e.unit)))
        statementItems.push(toItem(e.unit, e.daysLate, steps[e.level]?.key ?? ''));
    actions.push(buildAction(input, leadIndex, items, statementItems, today, messages));
  }
  if (decisions.length > 0) {
    const indexes = [...new Set(decisions.map((d) => d.stepIndex))].sort((a, b) => a - b);
    for (const index of indexes) {
      const items: ActionItem[] = [];
      const dues = decisions.filter((d) => d.stepIndex === index);
      for (const d of dues) items.push(dueItem(steps, d));
      actions.push(buildAction(input, index, items, [], today, dues));
    }
  }
  return actions;
}

function dueItem(steps: PolicyStep[], d: UnitDue): ActionItem {
  return toItem(d.unit, d.daysLate, (steps[d.stepIndex] as PolicyStep).key);
}

/** The template a customer of this kind gets: a consumer gets the `_b2c` twin of a `_b2b` template. */
export function templateKeyFor(templateKey: string, customerKind: 'b2b' | 'b2c'): string {
  return customerKind === 'b2c' && templateKey.endsWith('_b2b')
    ? `${templateKey.slice(0, -4)}_b2c`
    : templateKey;
}
