import type { IsoDate } from '../calendar/index.js';
import { toMajorString } from '../money/index.js';
import type { TemplatePenalties, TemplateVariables } from '../templates/variables.js';
import type { EvidenceInput } from './evidence.js';
import type { ActionItem, PlannedAction } from './types.js';

/**
 * The glue between a planned action, its message and its evidence. Preview and send both
 * build template variables with templateVariablesForAction, so they render the same text;
 * every channel records its evidence with evidenceForAction, so the timeline reads the same
 * whatever the worker.
 */
export interface MessageContext {
  organisation: TemplateVariables['organisation'];
  customer: TemplateVariables['customer'];
  contactName: string | null;
  payment: TemplateVariables['payment'];
  portalUrl?: string | null;
  collector?: TemplateVariables['collector'];
  penalties?: TemplatePenalties | null;
  /** The send date in the organisation's zone. */
  today: IsoDate;
}

function byAge(a: ActionItem, b: ActionItem): number {
  return b.daysLate - a.daysLate || a.invoiceNumber.localeCompare(b.invoiceNumber);
}

/** The statement lists the items the action moves and the other overdue items. */
export function templateVariablesForAction(action: PlannedAction, ctx: MessageContext): TemplateVariables {
  return {
    organisation: ctx.organisation,
    customer: ctx.customer,
    contact: { name: ctx.contactName },
    invoices: [...action.items, ...action.statementItems].sort(byAge).map((i) => ({
      number: i.invoiceNumber,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      amountMinor: i.amountMinor,
      balanceMinor: i.balanceMinor,
      currency: i.currency,
      daysLate: i.daysLate,
      instalmentSeq: i.instalmentSeq,
    })),
    penalties: ctx.penalties ?? null,
    payment: ctx.payment,
    portalUrl: ctx.portalUrl ?? null,
    collector: ctx.collector ?? null,
    today: ctx.today,
    deadlineDays: action.deadlineDays,
  };
}

export interface ActionOutcome {
  id: string;
  /** ISO instant. */
  at: string;
  channel: string;
  /** Address or phone used; null for letters and tasks. */
  to: string | null;
  contentSha256: string | null;
  providerMessageId?: string | null;
}

function amounts(action: PlannedAction): string {
  return action.totals
    .map((t) => `${toMajorString({ amount: t.balanceMinor, currency: t.currency })} ${t.currency}`)
    .join(' + ');
}

export function evidenceForAction(action: PlannedAction, outcome: ActionOutcome): EvidenceInput {
  const numbers = action.items.map((i) =>
    i.instalmentSeq === null ? i.invoiceNumber : `${i.invoiceNumber}#${i.instalmentSeq}`,
  );
  const summary =
    action.kind === 'task'
      ? `task created: ${action.stepLabel} for ${numbers.join(', ')} (statement total ${amounts(action)})`
      : `${action.stepLabel} sent by ${outcome.channel}${outcome.to ? ` to ${outcome.to}` : ''} for ${numbers.join(', ')} (statement total ${amounts(action)})`;
  return {
    id: outcome.id,
    customerId: action.customerId,
    at: outcome.at,
    kind: action.kind === 'task' ? 'task_created' : 'message_sent',
    channel: outcome.channel,
    summary,
    payload: {
      idempotencyKey: action.idempotencyKey,
      policyId: action.policyId,
      policyKey: action.policyKey,
      policyVersion: action.policyVersion,
      stepKey: action.stepKey,
      templateKey: action.templateKey,
      reason: action.reason,
      to: outcome.to,
      providerMessageId: outcome.providerMessageId ?? null,
      channelNotes: action.channelNotes,
      items: action.items.map((i) => ({
        invoiceId: i.invoiceId,
        invoiceNumber: i.invoiceNumber,
        instalmentSeq: i.instalmentSeq,
        stepKey: i.stepKey,
        balanceMinor: i.balanceMinor,
        currency: i.currency,
        daysLate: i.daysLate,
      })),
      statementItems: action.statementItems.map((i) => i.invoiceId),
    },
    contentSha256: outcome.contentSha256,
  };
}
