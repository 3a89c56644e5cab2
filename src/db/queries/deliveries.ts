import { type Kysely, type Selectable, sql } from 'kysely';
import type { ChannelError, SendResult } from '../../channels/channel.js';
import type { DeliveryReceipt } from '../../channels/sms/provider.js';
import { AppError } from '../../errors.js';
import type {
  Database,
  DeliveryChannel,
  DeliveryStatusValue,
  MessageDeliveriesTable,
} from '../schema/index.js';
import type { DateString } from '../schema/organisations.js';

export type MessageDelivery = Selectable<MessageDeliveriesTable>;

/**
 * Status only moves forward: a late "sent" webhook after "delivered" must not roll the
 * message back, and a bounce or failure is final. Webhooks arrive out of order (Twilio and
 * Brevo both say so), hence a rank rather than "last event wins".
 */
const RANK_SQL = (col: string) =>
  sql.raw(`(case ${col}
    when 'queued' then 0 when 'queued_for_print' then 0
    when 'sent' then 1 when 'posted' then 1
    when 'delivered' then 2 when 'opened' then 3 when 'clicked' then 4
    when 'bounced' then 5 when 'failed' then 5 else -1 end)`);

export interface NewDelivery {
  actionId?: string;
  customerId: string;
  contactId?: string;
  channel: DeliveryChannel;
  provider: string;
  idempotencyKey: string;
  toAddress: string;
}

/**
 * Create the 'queued' row before sending. The idempotency key is unique per organisation:
 * a second call for the same action returns the existing row (with its status), so the
 * caller sees it was already sent instead of sending twice.
 */
export async function createDelivery(
  db: Kysely<Database>,
  orgId: string,
  d: NewDelivery,
): Promise<{ delivery: MessageDelivery; created: boolean }> {
  const inserted = await db
    .insertInto('message_deliveries')
    .values({
      org_id: orgId,
      action_id: d.actionId ?? null,
      customer_id: d.customerId,
      contact_id: d.contactId ?? null,
      channel: d.channel,
      provider: d.provider,
      idempotency_key: d.idempotencyKey,
      to_address: d.toAddress,
    })
    .onConflict((oc) => oc.columns(['org_id', 'idempotency_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { delivery: inserted, created: true };
  const existing = await db
    .selectFrom('message_deliveries')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('idempotency_key', '=', d.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { delivery: existing, created: false };
}

export async function recordSendResult(
  db: Kysely<Database>,
  orgId: string,
  deliveryId: string,
  r: SendResult,
  document?: { id?: string; sha256: string },
): Promise<MessageDelivery> {
  const row = await db
    .updateTable('message_deliveries')
    .set((eb) => ({
      status: r.status,
      status_at: r.acceptedAt,
      provider: r.provider,
      provider_message_id: r.providerMessageId,
      attempts: eb('attempts', '+', 1),
      error: null,
      retryable: null,
      segments: r.segments ?? null,
      tracking_number: r.trackingNumber ?? null,
      ...(document ? { document_id: document.id ?? null, document_sha256: document.sha256 } : {}),
    }))
    .where('org_id', '=', orgId)
    .where('id', '=', deliveryId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertEvent(db, orgId, deliveryId, r.provider, `send:${r.providerMessageId}`, r.status, r.acceptedAt);
  return row;
}

/**
 * Record a failed attempt. A retryable failure leaves the row 'queued' for the job's next
 * try; a permanent one marks it 'failed'. A permanent refusal of an email address flags
 * the contact (contacts.email_invalid) so the planner stops choosing it.
 */
export async function recordSendFailure(
  db: Kysely<Database>,
  orgId: string,
  deliveryId: string,
  err: Pick<ChannelError, 'message' | 'retryable' | 'invalidAddress'>,
): Promise<MessageDelivery> {
  const row = await db
    .updateTable('message_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      error: err.message.slice(0, 500),
      retryable: err.retryable,
      ...(err.retryable ? {} : { status: 'failed' as const, status_at: sql<Date>`now()` }),
    }))
    .where('org_id', '=', orgId)
    .where('id', '=', deliveryId)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (err.invalidAddress && row.channel === 'email' && row.contact_id) {
    await db
      .updateTable('contacts')
      .set({ email_invalid: true })
      .where('org_id', '=', orgId)
      .where('id', '=', row.contact_id)
      .execute();
  }
  return row;
}

async function insertEvent(
  db: Kysely<Database>,
  orgId: string,
  deliveryId: string,
  provider: string,
  eventKey: string,
  status: DeliveryStatusValue,
  at: Date | string,
): Promise<boolean> {
  const r = await db
    .insertInto('delivery_events')
    .values({
      org_id: orgId,
      delivery_id: deliveryId,
      provider,
      event_key: eventKey,
      status,
      occurred_at: at,
    })
    .onConflict((oc) => oc.columns(['org_id', 'provider', 'event_key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface EventsOutcome {
  received: number;
  /** Matched one of our deliveries. */
  matched: number;
  /** New events (the rest were duplicates of events already stored). */
  inserted: number;
  /** Deliveries whose status moved forward. */
  updated: number;
  /** The events stored by this call (duplicates excluded), for the customers' timelines. */
  events: NewDeliveryEvent[];
}

export interface NewDeliveryEvent {
  deliveryId: string;
  customerId: string;
  channel: DeliveryChannel;
  provider: string;
  status: DeliveryStatusValue;
  providerStatus: string | null;
  errorCode: string | null;
  eventKey: string;
  occurredAt: Date;
  /** The delivery's status moved forward (to this event's status or a higher one in the batch). */
  moved: boolean;
}

/**
 * Store provider receipts (webhooks) in one statement: match each to its delivery by
 * provider + provider message id, insert it once (provider event key), and move the
 * delivery's status forward to the highest-ranked new event. Receipts for unknown
 * messages are counted, not stored: they belong to another system sharing the account.
 */
export async function recordDeliveryEvents(
  db: Kysely<Database>,
  orgId: string,
  receipts: DeliveryReceipt[],
): Promise<EventsOutcome> {
  if (receipts.length === 0) return { received: 0, matched: 0, inserted: 0, updated: 0, events: [] };
  const col = <T>(f: (r: DeliveryReceipt) => T) => receipts.map(f);
  const result = await sql<{
    matched: number;
    inserted: number;
    updated: number;
    events: NewDeliveryEvent[];
  }>`
    with src as (
      select * from unnest(
        ${col((r) => r.provider)}::text[], ${col((r) => r.providerMessageId)}::text[],
        ${col((r) => r.eventKey)}::text[], ${col((r) => r.status)}::text[],
        ${col((r) => r.providerStatus)}::text[], ${col((r) => r.errorCode ?? null)}::text[],
        ${col((r) => r.occurredAt?.toISOString() ?? null)}::text[]
      ) as s(provider, provider_message_id, event_key, status, provider_status, error_code, occurred_at)
    ), matched as (
      select d.id as delivery_id, s.* from src s
      join message_deliveries d
        on d.org_id = ${orgId} and d.provider = s.provider and d.provider_message_id = s.provider_message_id
    ), ins as (
      insert into delivery_events
        (org_id, delivery_id, provider, event_key, status, provider_status, error_code, occurred_at)
      select ${orgId}::uuid, delivery_id, provider, event_key, status, provider_status, error_code,
        coalesce(occurred_at::timestamptz, now())
      from matched
      on conflict (org_id, provider, event_key) do nothing
      returning delivery_id, status, occurred_at, provider, provider_status, error_code, event_key
    ), best as (
      select distinct on (delivery_id) delivery_id, status, occurred_at
      from ins order by delivery_id, ${RANK_SQL('status')} desc, occurred_at desc
    ), upd as (
      update message_deliveries d set status = b.status, status_at = b.occurred_at
      from best b
      where d.org_id = ${orgId} and d.id = b.delivery_id and ${RANK_SQL('b.status')} > ${RANK_SQL('d.status')}
      returning d.id
    )
    select (select count(*) from matched)::int as matched, (select count(*) from ins)::int as inserted,
      (select count(*) from upd)::int as updated,
      (select coalesce(json_agg(json_build_object(
          'deliveryId', i.delivery_id, 'customerId', d.customer_id, 'channel', d.channel,
          'provider', i.provider, 'status', i.status, 'providerStatus', i.provider_status,
          'errorCode', i.error_code, 'eventKey', i.event_key, 'occurredAt', i.occurred_at,
          'moved', exists (select 1 from upd where upd.id = i.delivery_id))
        order by i.occurred_at), '[]'::json)
       from ins i join message_deliveries d on d.org_id = ${orgId} and d.id = i.delivery_id) as events
  `.execute(db);
  const row = result.rows[0] ?? { matched: 0, inserted: 0, updated: 0, events: [] };

  // Side effects of receipts: hard-bounced email addresses and SMS opt-outs at the provider.
  const invalid = receipts.filter((r) => r.invalidAddress).map((r) => r.providerMessageId);
  if (invalid.length > 0) {
    await sql`
      update contacts c set email_invalid = true
      from message_deliveries d
      where d.org_id = ${orgId} and d.channel = 'email' and d.provider_message_id = any(${invalid}::text[])
        and c.org_id = d.org_id and c.id = d.contact_id`.execute(db);
  }
  const optedOut = receipts.filter((r) => r.optedOut);
  for (const r of optedOut) {
    const d = await db
      .selectFrom('message_deliveries')
      .select(['to_address'])
      .where('org_id', '=', orgId)
      .where('channel', '=', 'sms')
      .where('provider', '=', r.provider)
      .where('provider_message_id', '=', r.providerMessageId)
      .executeTakeFirst();
    if (d) {
      await recordOptKeyword(
        db,
        orgId,
        d.to_address,
        'stop',
        r.occurredAt ?? new Date(),
        `${r.provider}-receipt`,
      );
      await withdrawSmsConsent(db, orgId, d.to_address);
    }
  }
  return {
    received: receipts.length,
    matched: row.matched,
    inserted: row.inserted,
    updated: row.updated,
    events: row.events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) })),
  };
}

/** The collector printed and posted a letter by hand: record the posting as evidence. */
export async function markLetterPosted(
  db: Kysely<Database>,
  orgId: string,
  deliveryId: string,
  p: { postedOn: DateString; trackingNumber?: string },
): Promise<MessageDelivery> {
  const row = await db
    .updateTable('message_deliveries')
    .set({
      status: 'posted',
      status_at: sql<Date>`now()`,
      posted_on: p.postedOn,
      tracking_number: p.trackingNumber ?? null,
    })
    .where('org_id', '=', orgId)
    .where('id', '=', deliveryId)
    .where('channel', '=', 'letter')
    .where('status', 'in', ['queued', 'queued_for_print', 'posted'])
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    throw new AppError('CONFLICT', `delivery ${deliveryId} is not a letter waiting to be posted`);
  }
  await insertEvent(
    db,
    orgId,
    deliveryId,
    row.provider,
    `posted:${p.postedOn}:${p.trackingNumber ?? ''}`,
    'posted',
    p.postedOn,
  );
  return row;
}

/** The signed acknowledgement of receipt came back: the letter is delivered on that date. */
export async function recordLetterReceipt(
  db: Kysely<Database>,
  orgId: string,
  deliveryId: string,
  receivedOn: DateString,
): Promise<MessageDelivery> {
  const row = await db
    .updateTable('message_deliveries')
    .set({ status: 'delivered', status_at: sql<Date>`now()`, received_on: receivedOn })
    .where('org_id', '=', orgId)
    .where('id', '=', deliveryId)
    .where('channel', '=', 'letter')
    .where('status', 'in', ['posted', 'delivered'])
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    throw new AppError('CONFLICT', `delivery ${deliveryId} is not a posted letter`);
  }
  await insertEvent(db, orgId, deliveryId, row.provider, `received:${receivedOn}`, 'delivered', receivedOn);
  return row;
}

export async function recordOptKeyword(
  db: Kysely<Database>,
  orgId: string,
  phone: string,
  keyword: 'stop' | 'start',
  at: Date,
  source: string,
): Promise<void> {
  // Latest keyword wins, whatever order the messages arrive in.
  await sql`
    insert into sms_opt_outs (org_id, phone, opted_out, keyword_at, source)
    values (${orgId}, ${phone}, ${keyword === 'stop'}, ${at.toISOString()}::timestamptz, ${source})
    on conflict (org_id, phone) do update
      set opted_out = excluded.opted_out, keyword_at = excluded.keyword_at, source = excluded.source
      where sms_opt_outs.keyword_at <= excluded.keyword_at`.execute(db);
}

/**
 * A STOP withdraws SMS consent from every contact at that number, so the planner (which
 * only texts contacts with consent_sms) stops choosing SMS for them. Numbers are stored as
 * typed: compare the E.164 form and, for France, the national one.
 */
export async function withdrawSmsConsent(
  db: Kysely<Database>,
  orgId: string,
  phone: string,
): Promise<number> {
  const national = phone.startsWith('+33') ? `0${phone.slice(3)}` : phone;
  const r = await sql`
    update contacts set consent_sms = false
    where org_id = ${orgId} and consent_sms
      and regexp_replace(coalesce(phone, ''), '[^0-9+]', '', 'g') in (${phone}, ${national})`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function isPhoneOptedOut(db: Kysely<Database>, orgId: string, phone: string): Promise<boolean> {
  const row = await db
    .selectFrom('sms_opt_outs')
    .select('opted_out')
    .where('org_id', '=', orgId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  return row?.opted_out ?? false;
}

export interface NewInboundReply {
  channel: 'email' | 'sms';
  /** Message-ID of the reply, or the provider's inbound SMS id: the idempotency key. */
  externalId: string;
  customerId: string;
  deliveryId?: string;
  fromAddress: string;
  subject?: string;
  bodyText: string;
  tokenSource?: string;
  receivedAt: Date;
}

/** Store a debtor's reply once; returns false if this reply was already stored. */
export async function recordInboundReply(
  db: Kysely<Database>,
  orgId: string,
  r: NewInboundReply,
): Promise<boolean> {
  const res = await db
    .insertInto('inbound_replies')
    .values({
      org_id: orgId,
      channel: r.channel,
      external_id: r.externalId,
      customer_id: r.customerId,
      delivery_id: r.deliveryId ?? null,
      from_address: r.fromAddress,
      subject: r.subject ?? null,
      body_text: r.bodyText,
      token_source: r.tokenSource ?? null,
      received_at: r.receivedAt,
    })
    .onConflict((oc) => oc.columns(['org_id', 'channel', 'external_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function findDelivery(
  db: Kysely<Database>,
  orgId: string,
  id: string,
): Promise<MessageDelivery | undefined> {
  return db
    .selectFrom('message_deliveries')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listDeliveryEvents(db: Kysely<Database>, orgId: string, deliveryId: string) {
  return (
    db
      .selectFrom('delivery_events')
      .select(['event_key', 'status', 'provider_status', 'error_code', 'occurred_at'])
      .where('org_id', '=', orgId)
      .where('delivery_id', '=', deliveryId)
      // Recording order first: a posting dated by day (midnight) must still follow the
      // 'queued_for_print' recorded earlier that day.
      .orderBy('received_at')
      .orderBy('occurred_at')
      .execute()
  );
}

export interface ChannelHealth {
  channel: DeliveryChannel;
  total: number;
  pending: number;
  /** Accepted by the provider (sent, posted and everything that followed). */
  accepted: number;
  delivered: number;
  bounced: number;
  failed: number;
  /** bounced / (accepted + failed): the share of hand-over attempts that did not land. 4 decimals. */
  bounceRate: number;
}

/** Per-channel counts for the organisation's health view, over deliveries created since `since`. */
export async function channelHealth(
  db: Kysely<Database>,
  orgId: string,
  since: Date,
): Promise<ChannelHealth[]> {
  const rows = await sql<{
    channel: DeliveryChannel;
    total: number;
    pending: number;
    accepted: number;
    delivered: number;
    bounced: number;
    failed: number;
    bounce_rate: string | null;
  }>`
    select channel,
      count(*)::int as total,
      count(*) filter (where status in ('queued', 'queued_for_print'))::int as pending,
      count(*) filter (where status in ('sent', 'posted', 'delivered', 'opened', 'clicked', 'bounced'))::int as accepted,
      count(*) filter (where status in ('delivered', 'opened', 'clicked'))::int as delivered,
      count(*) filter (where status = 'bounced')::int as bounced,
      count(*) filter (where status = 'failed')::int as failed,
      round(count(*) filter (where status = 'bounced')::numeric
        / nullif(count(*) filter (where status not in ('queued', 'queued_for_print')), 0), 4)::text as bounce_rate
    from message_deliveries
    where org_id = ${orgId} and created_at >= ${since.toISOString()}::timestamptz
    group by channel
    order by channel`.execute(db);
  return rows.rows.map((r) => ({
    channel: r.channel,
    total: r.total,
    pending: r.pending,
    accepted: r.accepted,
    delivered: r.delivered,
    bounced: r.bounced,
    failed: r.failed,
    bounceRate: r.bounce_rate === null ? 0 : Number(r.bounce_rate),
  }));
}
