import { type Kysely, type Selectable, sql } from 'kysely';
import type { Logger } from 'pino';
import { latestMessageTemplate } from '../../db/queries/message-templates.js';
import type { Organisation } from '../../db/queries/organisations.js';
import type { ContactsTable, CustomersTable } from '../../db/schema/customers.js';
import type { Database } from '../../db/schema/index.js';
import { type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import type { ActionItem } from '../../domain/dunning/index.js';
import {
  normaliseLocale,
  type ProvisionalRate,
  type RenderedMessage,
  renderTemplate,
  type TemplateOverride,
  type TemplatePenalties,
  type TemplateReminder,
  type TemplateVariables,
} from '../../domain/templates/index.js';
import { computeInvoicePenalties } from '../law/invoice-penalties.js';
import { templateVariablesOf } from './action-content.js';
import { overrideOf } from './message-templates.js';

export interface ActionMessageInput {
  org: Organisation;
  customer: Selectable<CustomersTable>;
  contact: Selectable<ContactsTable> | null;
  items: ActionItem[];
  statementItems: ActionItem[];
  /** Issue date and gross amount per invoice id, read fresh from the ledger. */
  issueDates: Map<string, { issueDate: IsoDate; grossMinor: number }>;
  today: IsoDate;
  deadlineDays: number | null;
  templateKey: string;
  /** The customer's language for a send; a preview may ask for the other one. */
  locale: string;
  portalUrl: string | null;
  log: Pick<Logger, 'warn'>;
  /** A preview's unsaved template edit; absent = the organisation's saved one (or the default). */
  templateDraft?: TemplateOverride;
  /** The action being rendered: its own channels are not "earlier reminders". */
  actionKey?: string;
  /** A payment provider is configured: the portal link offers to pay online. */
  onlinePayment?: boolean;
  /** The action's step: a mise en demeure lists only the items that reached it. */
  stepKey?: string;
}

/**
 * Variables, penalties and rendering of one action's message. The outbox worker and the
 * policy preview both call this, so a preview shows the text a send would produce from the
 * same ledger state (the only difference: a preview does not mint a portal link).
 */
export async function renderActionMessage(
  db: Kysely<Database>,
  input: ActionMessageInput,
): Promise<{ variables: TemplateVariables; rendered: RenderedMessage; templateVersion: number | null }> {
  // A mise en demeure claims only the items that reached its step, oldest due first: the
  // other overdue items are not put on notice by it (issue 13).
  const notice = input.templateKey.startsWith('formal_notice');
  const atStep = (i: ActionItem) => !input.stepKey || i.stepKey === input.stepKey;
  const items = notice
    ? input.items
        .filter(atStep)
        .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.invoiceNumber.localeCompare(b.invoiceNumber))
    : input.items;
  const statementItems = notice ? [] : input.statementItems;
  const penalties = await penaltiesFor(
    db,
    input.org.id,
    [...items, ...statementItems],
    input.today,
    input.log,
  );
  const variables = templateVariablesOf({
    org: input.org,
    customer: input.customer,
    contact: input.contact,
    items,
    statementItems,
    issueDates: input.issueDates,
    today: input.today,
    deadlineDays: input.deadlineDays,
    portalUrl: input.portalUrl,
  });
  variables.penalties = penalties;
  variables.history = await remindersSent(
    db,
    input.org,
    input.customer.id,
    input.items.map((i) => i.invoiceId),
    input.actionKey ?? null,
  );
  variables.holidayCountry = input.org.country || 'FR';
  variables.onlinePayment = input.onlinePayment ?? false;
  const locale = normaliseLocale(input.locale);
  // One query: the organisation's latest edit of this key and language (0 = the defaults).
  const saved = await latestMessageTemplate(db, input.org.id, input.templateKey, locale);
  const override = input.templateDraft ?? overrideOf(saved);
  const rendered = renderTemplate(input.templateKey, locale, variables, { override });
  return { variables, rendered, templateVersion: input.templateDraft ? null : (saved?.version ?? 0) };
}

/**
 * Late-payment penalties and fixed indemnities accrued to today on the overdue items, from
 * the law engine (jurisdiction, debtor kind, contractual rate, part payments). When the
 * engine cannot compute them — no rate row yet for the period, items in several
 * currencies — the template prints its placeholder rather than a wrong figure.
 */
async function penaltiesFor(
  db: Kysely<Database>,
  orgId: string,
  items: ActionItem[],
  today: IsoDate,
  log: Pick<Logger, 'warn'>,
): Promise<TemplatePenalties | null> {
  const overdue = [...new Map(items.filter((i) => i.daysLate > 0).map((i) => [i.invoiceId, i])).values()];
  if (overdue.length === 0) return null;
  const currency = overdue[0]?.currency;
  if (!currency || overdue.some((i) => i.currency !== currency)) return null;
  try {
    let accruedMinor = 0;
    let indemnityMinor = 0;
    const provisional = new Map<string, ProvisionalRate>();
    for (const item of overdue) {
      const st = await computeInvoicePenalties(db, orgId, item.invoiceId, today);
      accruedMinor += st.totals.interestOutstanding.amount;
      indemnityMinor += st.totals.indemnityOutstanding.amount;
      // A rate no official source confirms yet is named in the letter, never applied silently.
      for (const r of st.rateSources)
        if (r.provisional || r.status === 'unverified')
          provisional.set(`${r.series}|${r.effectiveFrom}`, {
            series: r.series,
            effectiveFrom: r.effectiveFrom,
            ratePct: r.rate,
          });
    }
    return {
      accruedMinor,
      indemnityMinor,
      currency,
      asOf: today,
      ...(provisional.size > 0
        ? {
            provisionalRates: [...provisional.values()].sort(
              (a, b) => a.series.localeCompare(b.series) || a.effectiveFrom.localeCompare(b.effectiveFrom),
            ),
          }
        : {}),
    };
  } catch (err) {
    log.warn(
      { err: err instanceof Error ? err.message : String(err) },
      'penalties not computed; placeholder used',
    );
    return null;
  }
}

/**
 * The reminders actually sent before for these items (decision 021): one per action, with
 * its local send date and the channels that went out, oldest first. Tasks and portal
 * notices are not reminders; an action still waiting (approval, print queue) was not sent.
 */
export async function remindersSent(
  db: Kysely<Database>,
  org: Organisation,
  customerId: string,
  invoiceIds: string[],
  excludeActionKey: string | null,
): Promise<TemplateReminder[]> {
  if (invoiceIds.length === 0) return [];
  const r = await sql<{ key: string; at: Date; channel: string }>`
    select a.idempotency_key as key, a.channel,
      least(a.sent_at, greatest(s.done_at, a.not_before)) as at
    from dunning_action_items s
    join dunning_actions a on a.org_id = s.org_id and a.idempotency_key = s.idempotency_key
    where s.org_id = ${org.id} and s.customer_id = ${customerId}
      and s.invoice_ids && ${invoiceIds}::uuid[]
      and a.status = 'sent' and a.kind = 'send'
      and a.channel in ('email', 'sms', 'letter', 'registered_letter')
      and a.idempotency_key is distinct from ${excludeActionKey}::text
    order by at, a.channel
  `.execute(db);
  const byKey = new Map<string, TemplateReminder>();
  for (const row of r.rows) {
    const date = zonedParts(new Date(row.at), org.time_zone).date;
    const hit = byKey.get(row.key);
    if (hit) hit.channels.push(row.channel);
    else byKey.set(row.key, { date, channels: [row.channel] });
  }
  return [...byKey.values()].sort((a, b) => a.date.localeCompare(b.date));
}
