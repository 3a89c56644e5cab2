import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { DeliveryReceipt } from '../../channels/sms/provider.js';
import { withOrg } from '../../db/connection.js';
import type { EventsOutcome } from '../../db/queries/deliveries.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { recordReceipts } from './record-receipts.js';

/**
 * The generic signed email event a relay posts to /hooks/email/<orgId> (an ESP webhook
 * adapter, a bounce processor): one event, an array, or { events: [...] }. `messageId` is
 * the Message-ID we sent (with or without angle brackets).
 */
export const emailEventSchema = z.object({
  id: z.string().min(1).max(200).optional(),
  messageId: z.string().min(3).max(998),
  type: z.enum(['delivered', 'bounce', 'complaint', 'open', 'click']),
  /** hard: the address does not exist (flag it); soft: mailbox full, try again later. */
  bounceType: z.enum(['hard', 'soft']).optional(),
  /** Enhanced status code (RFC 3463), e.g. 5.1.1. */
  status: z
    .string()
    .regex(/^[245]\.\d{1,3}\.\d{1,3}$/)
    .optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});
export type EmailEvent = z.infer<typeof emailEventSchema>;

const bodySchema = z.union([
  emailEventSchema,
  z.array(emailEventSchema).max(1000),
  z.object({ events: z.array(emailEventSchema).max(1000) }),
]);

export function parseEmailEvents(rawBody: string): EmailEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new AppError('VALIDATION', 'email event body is not JSON');
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      'VALIDATION',
      'invalid email event',
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })),
    );
  }
  const v = parsed.data;
  return Array.isArray(v) ? v : 'events' in v ? v.events : [v];
}

function bracketed(id: string): string {
  const t = id.trim();
  return t.startsWith('<') ? t : `<${t}>`;
}

export function receiptOfEmailEvent(e: EmailEvent): DeliveryReceipt {
  const messageId = bracketed(e.messageId);
  const hard = e.type === 'bounce' && (e.bounceType === 'hard' || e.status?.startsWith('5'));
  const status: DeliveryReceipt['status'] =
    e.type === 'bounce'
      ? hard
        ? 'bounced'
        : 'failed'
      : e.type === 'open'
        ? 'opened'
        : e.type === 'click'
          ? 'clicked'
          : 'delivered'; // delivered, and complaint (it reached the inbox and was marked spam)
  const providerStatus = e.type === 'bounce' ? `${e.bounceType ?? (hard ? 'hard' : 'soft')}_bounce` : e.type;
  return {
    provider: 'smtp',
    providerMessageId: messageId,
    status,
    providerStatus,
    eventKey: e.id ? `event:${e.id}` : `${messageId}:${providerStatus}${e.status ? `:${e.status}` : ''}`,
    ...(e.status ? { errorCode: e.status } : {}),
    ...(e.occurredAt ? { occurredAt: new Date(e.occurredAt) } : {}),
    ...(hard && (e.status === undefined || e.status.startsWith('5.1.')) ? { invalidAddress: true } : {}),
  };
}

/**
 * Record relay events on our email deliveries. A complaint (the debtor marked a reminder
 * as spam) also withdraws the contact's email consent: the planner then uses another channel.
 */
export async function recordEmailEvents(
  db: Kysely<Database>,
  orgId: string,
  events: EmailEvent[],
  now: Date = new Date(),
): Promise<EventsOutcome> {
  const outcome = await recordReceipts(db, orgId, events.map(receiptOfEmailEvent), now);
  const complaints = events.filter((e) => e.type === 'complaint').map((e) => bracketed(e.messageId));
  if (complaints.length > 0) {
    await withOrg(db, orgId, (trx) =>
      sql`
        update contacts c set consent_email = false
        from message_deliveries d
        where d.org_id = ${orgId} and d.channel = 'email' and d.provider_message_id = any(${complaints}::text[])
          and c.org_id = d.org_id and c.id = d.contact_id`.execute(trx),
    );
  }
  return outcome;
}
