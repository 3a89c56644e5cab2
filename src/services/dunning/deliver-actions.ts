import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import {
  type Channel,
  type ChannelKind,
  isChannelError,
  type LetterContent,
  type OutboundMessage,
  type SendResult,
} from '../../channels/channel.js';
import { createReplyToken } from '../../channels/email/reply-token.js';
import { withOrg } from '../../db/connection.js';
import { type ActionPayload, decodeActionPayload } from '../../db/queries/action-payload.js';
import { customerIdList } from '../../db/queries/customer-scope.js';
import {
  claimActions,
  type OutboxRow,
  releaseItemSteps,
  settleAction,
} from '../../db/queries/dunning-outbox.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation, type Organisation } from '../../db/queries/organisations.js';
import { invoicesInPlansInGoodStandingQuery } from '../../db/queries/payment-plans.js';
import { saveSentMessage } from '../../db/queries/sent-messages.js';
import type { Database } from '../../db/schema/index.js';
import { addDays, type IsoDate, zonedParts } from '../../domain/calendar/index.js';
import { describeSent } from '../../domain/dunning/evidence-wording.js';
import type { ActionItem } from '../../domain/dunning/index.js';
import type { RenderedMessage, TemplateVariables } from '../../domain/templates/index.js';
import { AppError } from '../../errors.js';
import { loadLogoBytes } from '../branding/load-logo.js';
import { recordDispatch } from '../channels/record-dispatch.js';
import { createPortalLink } from '../portal/create-portal-link.js';
import { customerAddress, letterContentOf, senderOf } from './action-content.js';
import { renderActionMessage } from './render-action.js';

export type ChannelSet = Partial<Record<ChannelKind, Channel>>;

export interface DeliveryDeps {
  /** Fixed channels (tests) or a resolver per organisation (its own SMTP/SMS settings). */
  channels: ChannelSet | ((org: Organisation) => ChannelSet);
  workerId: string;
  log: Logger;
  /** Signs reply tokens; without it replies are matched by Message-ID only. */
  secret?: string;
  /** Base URL of the debtor portal: each reminder carries a fresh link when set. */
  portalBaseUrl?: string;
  /** A payment provider is configured (paymentProvidersOf(config).checkout): messages offer
   * to pay online; without one they offer the portal to view the invoices only. */
  onlinePayment?: boolean;
  leaseSeconds?: number;
  maxAttempts?: number;
}

export interface DeliveryTally {
  sent: number;
  tasks: number;
  cancelled: number;
  /** Documents that could not be completed: held with a task naming what is missing. */
  held: number;
  retried: number;
  failed: number;
}

const MESSAGE_CHANNELS: Record<string, ChannelKind | undefined> = {
  email: 'email',
  sms: 'sms',
  letter: 'letter',
  registered_letter: 'letter',
};

function backoffMs(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1) * 60_000, 6 * 3600_000);
}

/**
 * Deliver every claimable outbox row of an organisation due at `asOf`, a few at a time.
 * Exactly once: a row is claimed (SKIP LOCKED, leased), eligibility is re-checked right
 * before the send (paid a minute ago? disputed? paused?), and completion + evidence +
 * side effects commit in one transaction guarded by the claim. A worker that dies after the
 * provider accepted but before that commit leaves a claim whose lease expires; the retry
 * reuses the same Message-ID (derived from the action), so the receiving side sees one message.
 */
export async function deliverDueActions(
  db: Kysely<Database>,
  orgId: string,
  asOf: Date,
  deps: DeliveryDeps,
  opts: { batch?: number; maxActions?: number } = {},
): Promise<DeliveryTally> {
  const tally: DeliveryTally = { sent: 0, tasks: 0, cancelled: 0, held: 0, retried: 0, failed: 0 };
  const org = await withOrg(db, orgId, (trx) => getOrganisation(trx, orgId));
  if (!org) return tally;
  let handled = 0;
  for (;;) {
    const claimed = await withOrg(db, orgId, (trx) =>
      claimActions(trx, orgId, deps.workerId, asOf, opts.batch ?? 10, deps.leaseSeconds ?? 300),
    );
    if (claimed.length === 0) break;
    for (const row of claimed) {
      const outcome = await deliverOne(db, org, row, asOf, deps);
      tally[outcome]++;
      handled++;
    }
    if (opts.maxActions !== undefined && handled >= opts.maxActions) break;
  }
  return tally;
}

interface LiveItem {
  id: string;
  issue_date: string;
  gross_minor: number;
  balance_minor: number;
  blocked: string | null;
}

/** Re-check each item just before sending: the planner's view may be hours old. */
async function liveItems(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  ids: string[],
  today: IsoDate,
) {
  if (ids.length === 0) return new Map<string, LiveItem>();
  const r = await sql<LiveItem>`
    select i.id, i.issue_date, i.gross_minor, i.balance_minor,
      case
        when i.balance_minor <= 0 then 'paid or credited'
        when i.disputed or exists (select 1 from disputes d where d.org_id = i.org_id and d.invoice_id = i.id and d.status = 'open') then 'disputed'
        when exists (select 1 from dunning_pauses p where p.org_id = i.org_id and p.customer_id = ${customerId}
          and (p.invoice_id is null or p.invoice_id = i.id) and p.cancelled_at is null and p.until >= ${today}) then 'paused'
        when exists (select 1 from promises_to_pay t where t.org_id = i.org_id and t.customer_id = ${customerId}
          and t.status = 'active' and (cardinality(t.invoice_ids) = 0 or i.id = any(t.invoice_ids))
          and t.promised_date + t.grace_days >= ${today}::date) then 'promise to pay'
        when i.id in (select g.invoice_id from (${invoicesInPlansInGoodStandingQuery(
          orgId,
          customerIdList([customerId]),
          today,
        )}) g) then 'payment plan'
        else null
      end as blocked
    from invoices i where i.org_id = ${orgId} and i.id = any(${ids}::uuid[])
  `.execute(db);
  return new Map(r.rows.map((x) => [x.id, x]));
}

type Outcome = keyof DeliveryTally;

async function deliverOne(
  db: Kysely<Database>,
  org: Organisation,
  row: OutboxRow,
  asOf: Date,
  deps: DeliveryDeps,
): Promise<Outcome> {
  const orgId = org.id;
  const log = deps.log.child({ actionId: row.id, channel: row.channel });
  const payload = decodeActionPayload(row.items);
  const today = zonedParts(asOf, org.time_zone).date;
  try {
    const ctx = await withOrg(db, orgId, async (trx) => {
      const customer = await trx
        .selectFrom('customers')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('id', '=', row.customer_id)
        .executeTakeFirstOrThrow();
      const contact = row.contact_id
        ? ((await trx
            .selectFrom('contacts')
            .selectAll()
            .where('org_id', '=', orgId)
            .where('id', '=', row.contact_id)
            .executeTakeFirst()) ?? null)
        : null;
      const ids = [...payload.items, ...payload.statementItems].map((i) => i.invoiceId);
      const live = await liveItems(trx, orgId, row.customer_id, [...new Set(ids)], today);
      // Every reminder carries a link to the debtor's own portal page (issue 7).
      const portal =
        deps.portalBaseUrl && row.kind === 'send'
          ? await createPortalLink(
              trx,
              orgId,
              { customerId: row.customer_id },
              {
                baseUrl: deps.portalBaseUrl,
                ...(deps.secret ? { appSecret: deps.secret } : {}),
                createdBy: 'dunning',
                now: asOf,
              },
            )
          : null;
      return { customer, contact, live, portalUrl: portal?.url ?? null };
    });

    const refresh = (i: ActionItem): ActionItem | null => {
      const l = ctx.live.get(i.invoiceId);
      if (!l || l.blocked) return null;
      return {
        ...i,
        balanceMinor: i.instalmentSeq === null ? l.balance_minor : Math.min(i.balanceMinor, l.balance_minor),
      };
    };
    const items = payload.items.map(refresh).filter((i): i is ActionItem => i !== null);
    const statementItems = payload.statementItems.map(refresh).filter((i): i is ActionItem => i !== null);
    if (items.length === 0) {
      const why = payload.items
        .map((i) => `${i.invoiceNumber}: ${ctx.live.get(i.invoiceId)?.blocked ?? 'gone'}`)
        .join('; ');
      await withOrg(db, orgId, async (trx) => {
        if (
          await settleAction(trx, orgId, row.id, deps.workerId, {
            status: 'cancelled',
            statusReason: `no item left to remind (${why})`,
          })
        ) {
          await releaseItemSteps(trx, orgId, row.customer_id, row.idempotency_key);
        }
      });
      log.info({ why }, 'action cancelled before sending');
      return 'cancelled';
    }

    if (row.kind === 'task' || row.channel === 'task' || row.channel === 'call_task') {
      return await createTaskFor(db, org, row, payload, items, today, deps);
    }

    const { variables, rendered, templateVersion } = await renderActionMessage(db, {
      org,
      customer: ctx.customer,
      contact: ctx.contact,
      items,
      statementItems,
      issueDates: new Map(
        [...ctx.live.values()].map((l) => [l.id, { issueDate: l.issue_date, grossMinor: l.gross_minor }]),
      ),
      today,
      deadlineDays: payload.deadlineDays,
      templateKey: row.template_key ?? 'first_reminder',
      locale: ctx.customer.language,
      portalUrl: ctx.portalUrl,
      log,
      actionKey: row.idempotency_key,
      onlinePayment: deps.onlinePayment ?? false,
      stepKey: row.step_key,
    });

    // A document that cannot be completed never goes out (decision 022): it is held, and a
    // collector gets a task naming what is missing; approving it later renders it again.
    const missing = missingForSend(row.channel, row.template_key, variables, rendered, ctx.customer);
    if (missing.length > 0) return await holdIncomplete(db, org, row, payload, items, today, missing, deps);
    // A mise en demeure computed with a rate no official source confirms yet says so, and a
    // collector approves it before it goes out (decision 009's approval queue, issue 13).
    const provisional = variables.penalties?.provisionalRates ?? [];
    if (row.template_key?.startsWith('formal_notice') && provisional.length > 0 && !row.decided_by) {
      const rates = provisional.map((r) => `${r.series} from ${r.effectiveFrom} (${r.ratePct} %)`).join('; ');
      const ok = await withOrg(db, orgId, (trx) =>
        settleAction(trx, orgId, row.id, deps.workerId, {
          status: 'awaiting_approval',
          statusReason: `provisional rate used: ${rates}; a collector must approve the letter before it is sent`,
        }),
      );
      log.warn({ rates }, 'formal notice with a provisional rate waits for approval');
      return ok ? 'held' : 'cancelled';
    }

    let result: SendResult | null = null;
    if (row.channel !== 'portal_notice') {
      const kind = MESSAGE_CHANNELS[row.channel];
      const set = typeof deps.channels === 'function' ? deps.channels(org) : deps.channels;
      const channel = kind ? set[kind] : undefined;
      if (!kind || !channel) throw new AppError('UNPROCESSABLE', `no ${row.channel} channel is configured`);
      const message: OutboundMessage = {
        channel: kind,
        idempotencyKey: `${row.idempotency_key}:${row.channel}`,
        ...(deps.secret ? { replyToken: createReplyToken(row.id, deps.secret) } : {}),
        sender: senderOf(org),
        recipient: {
          customerId: ctx.customer.id,
          ...(ctx.contact?.id ? { contactId: ctx.contact.id } : {}),
          name: ctx.contact?.name ?? ctx.customer.name,
          ...(row.channel === 'email' && row.to_address ? { email: row.to_address } : {}),
          ...(row.channel === 'sms' && row.to_address ? { phone: row.to_address } : {}),
          ...(customerAddress(ctx.customer) ? { address: customerAddress(ctx.customer) } : {}),
        },
        content: {
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          sms: rendered.sms.text,
          ...(kind === 'letter'
            ? {
                letter: withLogo(
                  await loadLogoBytes(db, orgId),
                  letterContentOf({
                    org,
                    rendered,
                    variables,
                    registered: row.channel === 'registered_letter',
                  }),
                ),
              }
            : {}),
        },
      };
      result = await channel.send(message);
    }

    const settled = await withOrg(db, orgId, async (trx) => {
      const ok = await settleAction(trx, orgId, row.id, deps.workerId, {
        status: 'sent',
        statusReason: result?.status ?? 'portal notice published',
        providerMessageId: result?.providerMessageId ?? null,
        renderedSha256: rendered.sha256,
      });
      if (!ok) return false;
      let documentId: string | null = null;
      if (result?.document) {
        const d = result.document;
        const doc = await trx
          .insertInto('documents')
          .values({
            org_id: orgId,
            customer_id: row.customer_id,
            invoice_id: null,
            kind: 'letter',
            filename: d.filename,
            mime_type: d.contentType,
            size_bytes: d.content.length,
            sha256: createHash('sha256').update(d.content).digest('hex'),
            content: d.content,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        documentId = doc.id;
      }
      await appendEvidenceEntry(trx, orgId, {
        customerId: row.customer_id,
        kind: 'message_sent',
        channel: row.channel,
        // What happened, not what was hoped: a letter queued for print is not yet posted, an
        // email is "sent" once the server accepted it (evidence-wording.ts).
        summary: describeSent(
          {
            stepLabel: payload.stepLabel,
            channel: row.channel,
            toAddress: row.to_address,
            invoiceNumbers: items.map((i) => i.invoiceNumber),
            deliveryStatus: result?.status ?? 'sent',
            trackingNumber: result?.trackingNumber ?? null,
          },
          'en',
        ),
        payload: {
          actionId: row.id,
          stepLabel: payload.stepLabel,
          toAddress: row.to_address,
          trackingNumber: result?.trackingNumber ?? null,
          idempotencyKey: row.idempotency_key,
          policy: { id: row.policy_id, key: row.policy_key, version: row.policy_version },
          stepKey: row.step_key,
          reason: row.reason,
          templateKey: row.template_key,
          templateVersion,
          subject: rendered.subject,
          items: items.map((i) => ({
            invoiceId: i.invoiceId,
            number: i.invoiceNumber,
            balanceMinor: i.balanceMinor,
            currency: i.currency,
            daysLate: i.daysLate,
          })),
          provider: result?.provider ?? 'portal',
          providerMessageId: result?.providerMessageId ?? null,
          deliveryStatus: result?.status ?? 'sent',
          documentId,
          channelNotes: row.channel_notes,
        },
        contentSha256: rendered.sha256,
      });
      await saveSentMessage(trx, orgId, row.id, row.customer_id, {
        channel: row.channel,
        locale: rendered.locale,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        sms: rendered.sms.text,
        letter: rendered.letter,
        contentSha256: rendered.sha256,
      });
      if (result) await recordDispatch(trx, orgId, row, result, documentId);
      await applySideEffects(trx, org, row, payload, today);
      return true;
    });
    if (settled)
      log.info(
        { customerId: row.customer_id, providerMessageId: result?.providerMessageId },
        'reminder sent',
      );
    return settled ? 'sent' : 'cancelled';
  } catch (err) {
    return handleFailure(db, org, row, err, asOf, deps, log);
  }
}

/** Bracketed placeholders and unresolved template variables: never in a sent message. */
export const PLACEHOLDER_PATTERN = /\[[^\]\n]{0,80}\]|\{\{|\}\}/;

/** What a message lacks to be sent as is, in words a collector can act on; empty when complete. */
export function missingForSend(
  channel: string,
  templateKey: string | null,
  variables: TemplateVariables,
  rendered: RenderedMessage,
  customer: { address_line1: string | null; postal_code: string | null; city: string | null },
): string[] {
  const missing: string[] = [];
  // The B2B mise en demeure states the penalties and indemnities owed (Code de commerce L441-10).
  if (templateKey?.startsWith('formal_notice_b2b') && !variables.penalties)
    missing.push('late-payment penalties (no rate for a period, or items in several currencies)');
  if (
    (channel === 'letter' || channel === 'registered_letter') &&
    !(customer.address_line1 && customer.postal_code && customer.city)
  )
    missing.push("the debtor's postal address");
  const parts = {
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    sms: rendered.sms.text,
    letter: rendered.letter,
  };
  for (const [part, text] of Object.entries(parts)) {
    const hit = PLACEHOLDER_PATTERN.exec(text);
    if (hit) missing.push(`an unresolved placeholder "${hit[0]}" in the ${part}`);
  }
  return missing;
}

async function holdIncomplete(
  db: Kysely<Database>,
  org: Organisation,
  row: OutboxRow,
  payload: ActionPayload,
  items: ActionItem[],
  today: IsoDate,
  missing: string[],
  deps: DeliveryDeps,
): Promise<Outcome> {
  const reason = `not sent, incomplete: missing ${missing.join('; ')}`;
  const ok = await withOrg(db, org.id, async (trx) => {
    const settled = await settleAction(trx, org.id, row.id, deps.workerId, {
      status: 'held',
      statusReason: reason,
    });
    if (!settled) return false;
    await sql`
      insert into tasks (org_id, customer_id, invoice_id, action_id, kind, title, detail, due_date)
      values (${org.id}, ${row.customer_id}, ${items[0]?.invoiceId ?? null}, ${row.id}, 'review_send',
        ${`${payload.stepLabel} by ${row.channel.replace('_', ' ')} held: missing ${missing.join('; ')}`},
        ${JSON.stringify({ reason, missing, items })}::jsonb, ${today})
      on conflict do nothing
    `.execute(trx);
    return true;
  });
  deps.log.warn({ actionId: row.id, missing }, 'incomplete document held');
  return ok ? 'held' : 'cancelled';
}

async function createTaskFor(
  db: Kysely<Database>,
  org: Organisation,
  row: OutboxRow,
  payload: ActionPayload,
  items: ActionItem[],
  today: IsoDate,
  deps: DeliveryDeps,
): Promise<Outcome> {
  const kind = payload.taskKind ?? (row.channel === 'call_task' ? 'call' : 'follow_up');
  const title =
    payload.decisionTask?.title ?? `${payload.stepLabel}: ${items.map((i) => i.invoiceNumber).join(', ')}`;
  const ok = await withOrg(db, org.id, async (trx) => {
    const settled = await settleAction(trx, org.id, row.id, deps.workerId, {
      status: 'sent',
      statusReason: 'task created',
    });
    if (!settled) return false;
    await sql`
      insert into tasks (org_id, customer_id, invoice_id, action_id, kind, title, detail, due_date)
      values (${org.id}, ${row.customer_id}, ${items[0]?.invoiceId ?? null}, ${row.id}, ${kind}, ${title},
        ${JSON.stringify({ reason: row.reason, options: payload.decisionTask?.options ?? [], items })}::jsonb, ${today})
      on conflict do nothing
    `.execute(trx);
    await appendEvidenceEntry(trx, org.id, {
      customerId: row.customer_id,
      kind: 'task_created',
      channel: row.channel,
      summary: `Task for a collector: ${title}`,
      payload: {
        actionId: row.id,
        taskKind: kind,
        reason: row.reason,
        stepKey: row.step_key,
        policy: row.policy_key,
      },
      contentSha256: null,
    });
    await applySideEffects(trx, org, row, payload, today);
    return true;
  });
  return ok ? 'tasks' : 'cancelled';
}

async function applySideEffects(
  trx: Kysely<Database>,
  org: Organisation,
  row: OutboxRow,
  payload: ActionPayload,
  today: IsoDate,
): Promise<void> {
  const fx = payload.sideEffects ?? {};
  // Side effects belong to the action, not to each of its channels: the first channel row
  // (alphabetical) carries them.
  const first = await sql<{ id: string }>`
    select id from dunning_actions
    where org_id = ${org.id} and customer_id = ${row.customer_id} and idempotency_key = ${row.idempotency_key}
    order by channel limit 1
  `.execute(trx);
  if (first.rows[0]?.id !== row.id) return;
  if (fx.creditHold) {
    await trx
      .updateTable('customers')
      .set({
        credit_hold: true,
        credit_hold_reason: `dunning step ${row.step_key}`,
        credit_hold_since: sql`now()`,
      })
      .where('org_id', '=', org.id)
      .where('id', '=', row.customer_id)
      .where('credit_hold', '=', false)
      .execute();
    await appendEvidenceEntry(trx, org.id, {
      customerId: row.customer_id,
      kind: 'note',
      channel: null,
      summary: 'Customer put on credit hold by the dunning policy',
      payload: { actionId: row.id, stepKey: row.step_key },
      contentSha256: null,
    });
  }
  if (fx.createTask) {
    await sql`
      insert into tasks (org_id, customer_id, kind, title, detail, due_date)
      values (${org.id}, ${row.customer_id}, ${fx.createTask.kind}, ${fx.createTask.title},
        ${JSON.stringify({ actionId: row.id })}::jsonb, ${addDays(today, 1)})
    `.execute(trx);
  }
}

async function handleFailure(
  db: Kysely<Database>,
  org: Organisation,
  row: OutboxRow,
  err: unknown,
  asOf: Date,
  deps: DeliveryDeps,
  log: Logger,
): Promise<Outcome> {
  const message = err instanceof Error ? err.message : String(err);
  // Unknown errors and a missing channel configuration may clear up: retry with backoff.
  const retryable = isChannelError(err) ? err.retryable : true;
  const maxAttempts = deps.maxAttempts ?? 6;
  if (retryable && row.attempts < maxAttempts) {
    const notBefore = new Date(Math.max(Date.now(), asOf.getTime()) + backoffMs(row.attempts));
    await withOrg(db, org.id, (trx) =>
      settleAction(trx, org.id, row.id, deps.workerId, { status: 'planned', error: message, notBefore }),
    );
    log.warn({ err: message, attempts: row.attempts, notBefore }, 'delivery failed; will retry');
    return 'retried';
  }
  const invalidAddress = isChannelError(err) && err.invalidAddress;
  await withOrg(db, org.id, async (trx) => {
    const ok = await settleAction(trx, org.id, row.id, deps.workerId, {
      status: 'failed',
      error: message,
      statusReason: invalidAddress ? 'invalid address' : 'permanent failure',
    });
    if (!ok) return;
    if (invalidAddress && row.contact_id && row.channel === 'email') {
      await trx
        .updateTable('contacts')
        .set({ email_invalid: true })
        .where('org_id', '=', org.id)
        .where('id', '=', row.contact_id)
        .execute();
    }
    // The step was not carried out: release it so the next run can plan it again on another channel.
    await releaseItemSteps(trx, org.id, row.customer_id, row.idempotency_key);
    const today = zonedParts(asOf, org.time_zone).date;
    await sql`
      insert into tasks (org_id, customer_id, action_id, kind, title, detail, due_date)
      values (${org.id}, ${row.customer_id}, ${row.id}, ${invalidAddress ? 'bounce' : 'follow_up'},
        ${`${row.channel} delivery failed: ${message.slice(0, 150)}`}, ${JSON.stringify({ error: message })}::jsonb, ${today})
      on conflict do nothing
    `.execute(trx);
    await appendEvidenceEntry(trx, org.id, {
      customerId: row.customer_id,
      kind: 'delivery_status',
      channel: row.channel,
      summary: `${row.channel} delivery failed${invalidAddress ? ' (invalid address)' : ''}`,
      payload: { actionId: row.id, error: message, attempts: row.attempts },
      contentSha256: null,
    });
  });
  log.error({ err: message, invalidAddress }, 'delivery failed permanently');
  return 'failed';
}

/** The letterhead's logo, when the organisation has uploaded one. */
function withLogo(logo: Buffer | null, letter: LetterContent): LetterContent {
  return logo ? { ...letter, logo } : letter;
}
