import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { SendResult } from '../../channels/channel.js';
import { normalisePhone } from '../../channels/sms/addressing.js';
import type { OutboxRow } from '../../db/queries/dunning-outbox.js';
import type { Database, DeliveryChannel } from '../../db/schema/index.js';

const DELIVERY_CHANNEL: Record<string, DeliveryChannel | undefined> = {
  email: 'email',
  sms: 'sms',
  letter: 'letter',
  registered_letter: 'letter',
};

/** The idempotency key of a dunning send's delivery row: the one the channel was given. */
export function deliveryKeyOf(row: Pick<OutboxRow, 'idempotency_key' | 'channel'>): string {
  return `${row.idempotency_key}:${row.channel}`;
}

async function letterAddress(db: Kysely<Database>, orgId: string, customerId: string): Promise<string> {
  const c = await db
    .selectFrom('customers')
    .select(['name', 'address_line1', 'address_line2', 'postal_code', 'city', 'country'])
    .where('org_id', '=', orgId)
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!c) return '';
  return [
    c.name,
    c.address_line1,
    c.address_line2,
    `${c.postal_code ?? ''} ${c.city ?? ''}`.trim(),
    c.country,
  ]
    .filter((l): l is string => Boolean(l))
    .join(', ');
}

/**
 * Track a dunning send that a provider accepted: the message_deliveries row that provider
 * webhooks, bounces, replies, the print queue and channel health read, plus its first
 * event. Runs inside the transaction that settles the outbox row, so both or neither.
 * Never fails that transaction on a duplicate: a re-delivered action (lease expired after
 * the provider accepted) finds its row already there, or a letter with byte-identical
 * content (same provider message id) keeps the first row.
 */
export async function recordDispatch(
  db: Kysely<Database>,
  orgId: string,
  row: OutboxRow,
  result: SendResult,
  documentId: string | null,
): Promise<string | null> {
  const channel = DELIVERY_CHANNEL[row.channel];
  if (!channel) return null;
  const toAddress =
    channel === 'letter'
      ? await letterAddress(db, orgId, row.customer_id)
      : channel === 'sms' && row.to_address
        ? (normalisePhone(row.to_address) ?? row.to_address)
        : (row.to_address ?? '');
  const documentSha = result.document
    ? createHash('sha256').update(result.document.content).digest('hex')
    : null;
  const inserted = await sql<{ id: string }>`
    insert into message_deliveries (org_id, action_id, customer_id, contact_id, channel, provider,
      idempotency_key, provider_message_id, to_address, status, status_at, attempts, segments,
      document_id, document_sha256, tracking_number)
    values (${orgId}, ${row.id}, ${row.customer_id}, ${row.contact_id}, ${channel}, ${result.provider},
      ${deliveryKeyOf(row)}, ${result.providerMessageId}, ${toAddress}, ${result.status},
      ${result.acceptedAt.toISOString()}::timestamptz, ${row.attempts + 1}, ${result.segments ?? null},
      ${documentId}, ${documentSha}, ${result.trackingNumber ?? null})
    on conflict do nothing
    returning id`.execute(db);
  const id = inserted.rows[0]?.id;
  if (!id) return null;
  await sql`
    insert into delivery_events (org_id, delivery_id, provider, event_key, status, occurred_at)
    values (${orgId}, ${id}, ${result.provider}, ${`send:${result.providerMessageId}`}, ${result.status},
      ${result.acceptedAt.toISOString()}::timestamptz)
    on conflict do nothing`.execute(db);
  return id;
}
