import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { loadPlanningBatch } from '../../db/queries/dunning-inputs.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import {
  type ActionItem,
  type DunningPolicy,
  daysLateOn,
  type PlannedChannel,
  parsePolicy,
  resolveChannels,
  templateKeyFor,
  unitsOf,
} from '../../domain/dunning/index.js';
import type { RenderedMessage, TemplateOverride } from '../../domain/templates/index.js';
import { AppError, notFound } from '../../errors.js';
import { dunningSettingsOf } from './dunning-settings.js';
import { getPolicy, type PolicyEdit } from './edit-policy.js';
import { renderActionMessage } from './render-action.js';

export interface StepPreviewRequest {
  customerId: string;
  stepIndex: number;
  /** Defaults to the customer's language. */
  lang?: 'fr' | 'en';
  /** An unsaved edit of the policy: preview it before saving a new version. */
  draft?: PolicyEdit;
  /** An unsaved edit of the step's template (for the step's template key and this language). */
  templateDraft?: TemplateOverride;
}

export interface StepPreview {
  policyId: string;
  policyKey: string;
  policyVersion: number;
  draft: boolean;
  stepKey: string;
  stepLabel: string;
  offsetDays: number;
  templateKey: string;
  tone: string;
  kind: 'send' | 'task';
  locale: 'fr' | 'en';
  channels: PlannedChannel[];
  notes: string[];
  items: ActionItem[];
  statementItems: ActionItem[];
  message: RenderedMessage | null;
}

/**
 * What a policy step would send to a real customer today: the customer's open items (the
 * ones that reached the step's offset are the action's items, the other overdue ones are
 * listed on the statement), the channels the planner would resolve, and the message
 * rendered by renderActionMessage — the function the outbox worker sends with.
 */
export async function previewPolicyStep(
  db: Kysely<Database>,
  orgId: string,
  policyId: string,
  req: StepPreviewRequest,
  now: Date,
  log: Pick<Logger, 'warn'>,
): Promise<StepPreview> {
  const stored = await getPolicy(db, orgId, policyId);
  const policy: DunningPolicy = req.draft
    ? parsePolicy({ ...req.draft, id: stored.id, key: stored.key, version: stored.latestVersion + 1 })
    : stored;
  const step = policy.steps[req.stepIndex];
  if (!step)
    throw new AppError('VALIDATION', `the policy has no step ${req.stepIndex}`, [
      { field: 'stepIndex', reason: `between 0 and ${policy.steps.length - 1}` },
    ]);
  const org = await getOrganisation(db, orgId);
  if (!org) throw notFound('Organisation', orgId);
  const today = zonedParts(now, org.time_zone).date;
  const state = (await loadPlanningBatch(db, orgId, [req.customerId], now, today)).get(req.customerId);
  if (!state) throw notFound('Customer', req.customerId);
  const customer = await db
    .selectFrom('customers')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', req.customerId)
    .executeTakeFirstOrThrow();

  const notes: string[] = [];
  const units: ActionItem[] = state.items.flatMap(unitsOf).map((u) => ({
    invoiceId: u.invoiceId,
    invoiceNumber: u.invoiceNumber,
    instalmentSeq: u.instalmentSeq,
    issueDate: u.item.issueDate ?? null,
    dueDate: u.dueDate,
    amountMinor: u.amountMinor,
    balanceMinor: u.balanceMinor,
    currency: u.currency,
    daysLate: daysLateOn(u.dueDate, today),
    stepKey: step.key,
  }));
  const oldestFirst = (a: ActionItem, b: ActionItem) => b.daysLate - a.daysLate;
  let items = units.filter((u) => u.balanceMinor > 0 && u.daysLate >= step.offsetDays).sort(oldestFirst);
  let statementItems = units.filter((u) => u.balanceMinor > 0 && u.daysLate > 0 && !items.includes(u));
  if (items.length === 0) {
    notes.push(
      `no open item of this customer has reached J${step.offsetDays >= 0 ? '+' : ''}${step.offsetDays}: every open item is shown`,
    );
    items = units.filter((u) => u.balanceMinor > 0).sort(oldestFirst);
    statementItems = [];
  }
  if (items.length === 0) notes.push('this customer has no open item');

  const settings = dunningSettingsOf(org.settings, org.time_zone);
  const resolved = resolveChannels(step.channels, state.customer, settings);
  notes.push(...resolved.notes);
  const isTask =
    Boolean(step.decisionTask) ||
    !policy.automaticSends ||
    resolved.channels.every((c) => c.channel === 'call_task');
  const base = {
    policyId: stored.id,
    policyKey: policy.key,
    policyVersion: policy.version,
    draft: Boolean(req.draft) || Boolean(req.templateDraft),
    stepKey: step.key,
    stepLabel: step.label,
    offsetDays: step.offsetDays,
    templateKey: templateKeyFor(step.templateKey, state.customer.kind),
    tone: step.tone,
    locale: req.lang ?? customer.language,
    channels: resolved.channels,
    notes,
    items,
    statementItems,
  };
  if (step.decisionTask) return { ...base, kind: 'task', message: null };
  if (isTask) notes.push('this step makes a task for a collector; the message is what they would send');

  const contactId = resolved.channels.find((c) => c.contactId)?.contactId ?? null;
  const contact = contactId
    ? ((await db
        .selectFrom('contacts')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', contactId)
        .executeTakeFirst()) ?? null)
    : null;
  const { rendered } = await renderActionMessage(db, {
    org,
    customer,
    contact,
    items,
    statementItems,
    issueDates: new Map(
      state.items.map((i) => [
        i.invoiceId,
        { issueDate: i.issueDate ?? today, grossMinor: i.grossMinor ?? i.balanceMinor },
      ]),
    ),
    today,
    deadlineDays: step.deadlineDays ?? null,
    templateKey: base.templateKey,
    locale: base.locale,
    portalUrl: null,
    log,
    ...(req.templateDraft ? { templateDraft: req.templateDraft } : {}),
  });
  return { ...base, kind: isTask ? 'task' : 'send', message: rendered };
}
