import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { simpleParser } from 'mailparser';
import { bounceFromParsedMail } from '../../channels/email/bounce.js';
import { type InboundEmail, inboundFromParsedMail, stripQuotedReply } from '../../channels/email/inbound.js';
import { extractReplyToken } from '../../channels/email/reply-token.js';
import { withOrg } from '../../db/connection.js';
import { recordInboundReply } from '../../db/queries/deliveries.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { AppError } from '../../errors.js';
import { recordReceipts } from './record-receipts.js';
import { insertTask } from './tasks.js';

export const MAX_INBOUND_EMAIL_BYTES = 10 * 1024 * 1024;

export type InboundEmailOutcome =
  | { kind: 'bounce'; matched: number; inserted: number }
  | {
      kind: 'reply';
      customerId: string;
      deliveryId: string | null;
      matchedBy: string;
      /** False when this Message-ID was already received (the MTA retried). */
      stored: boolean;
      taskId: string | null;
    };

interface Match {
  customerId: string;
  deliveryId: string | null;
  matchedBy: string;
}

const MSGID_RE = /<[^<>\s]+@[^<>\s]+>/g;

/**
 * Which customer a reply belongs to, most trusted first: the signed reply token (our
 * plus-address, then In-Reply-To/References, then X-Relance-Token) names the dunning
 * action; else a Message-ID we sent appears in In-Reply-To/References (organisations
 * without RELANCE_SECRET); else the sender is a contact of exactly one customer.
 */
async function matchReply(
  db: Kysely<Database>,
  orgId: string,
  mail: InboundEmail,
  secret: string | undefined,
): Promise<Match | null> {
  const token = secret ? extractReplyToken(mail, secret) : null;
  if (token) {
    const action = await db
      .selectFrom('dunning_actions')
      .select(['customer_id'])
      .where('org_id', '=', orgId)
      .where('id', '=', token.id)
      .executeTakeFirst();
    if (action) {
      const d = await db
        .selectFrom('message_deliveries')
        .select('id')
        .where('org_id', '=', orgId)
        .where('action_id', '=', token.id)
        .executeTakeFirst();
      return {
        customerId: action.customer_id,
        deliveryId: d?.id ?? null,
        matchedBy: `token:${token.source}`,
      };
    }
  }
  const refs = [mail.inReplyTo ?? '', ...[mail.references ?? []].flat()].join(' ').match(MSGID_RE) ?? [];
  if (refs.length > 0) {
    const d = await db
      .selectFrom('message_deliveries')
      .select(['id', 'customer_id'])
      .where('org_id', '=', orgId)
      .where('channel', '=', 'email')
      .where('provider_message_id', 'in', refs)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (d) return { customerId: d.customer_id, deliveryId: d.id, matchedBy: 'message-id' };
  }
  if (mail.from) {
    const owners = await db
      .selectFrom('contacts')
      .select('customer_id')
      .distinct()
      .where('org_id', '=', orgId)
      .where((eb) => eb(eb.fn('lower', ['email']), '=', mail.from.toLowerCase()))
      .limit(2)
      .execute();
    const only = owners.length === 1 ? owners[0] : undefined;
    if (only) return { customerId: only.customer_id, deliveryId: null, matchedBy: 'sender' };
  }
  return null;
}

/**
 * A message arrived at the reply address (raw MIME from a forwarding MTA, an inbound-mail
 * provider or an IMAP poller). A delivery status notification is a bounce of one of our
 * messages; anything else is a debtor's reply, filed once (by Message-ID) on the right
 * customer's timeline with a 'reply' task for a collector. No match is a 422: the caller
 * keeps or bounces the message, nothing is filed on a guess.
 */
export async function receiveInboundEmail(
  db: Kysely<Database>,
  orgId: string,
  raw: Buffer,
  opts: { secret?: string; envelopeTo?: string[]; now?: Date } = {},
): Promise<InboundEmailOutcome> {
  if (raw.length === 0) throw new AppError('VALIDATION', 'empty message');
  const now = opts.now ?? new Date();
  const parsed = await simpleParser(raw);
  const bounce = bounceFromParsedMail(parsed);
  if (bounce) {
    const r = await recordReceipts(db, orgId, [bounce], now);
    return { kind: 'bounce', matched: r.matched, inserted: r.inserted };
  }
  const mail = inboundFromParsedMail(parsed, opts.envelopeTo ?? [], now);
  return withOrg(db, orgId, async (trx) => {
    const match = await matchReply(trx, orgId, mail, opts.secret);
    if (!match) {
      throw new AppError(
        'UNPROCESSABLE',
        'no customer matches this message (no reply token, known Message-ID or sender)',
      );
    }
    const body = stripQuotedReply(mail.text);
    const externalId = mail.messageId || `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const stored = await recordInboundReply(trx, orgId, {
      channel: 'email',
      externalId,
      customerId: match.customerId,
      ...(match.deliveryId ? { deliveryId: match.deliveryId } : {}),
      fromAddress: mail.from,
      subject: mail.subject,
      bodyText: body,
      tokenSource: match.matchedBy,
      receivedAt: mail.receivedAt,
    });
    if (!stored) return { kind: 'reply', ...match, stored, taskId: null };
    await appendEvidenceEntry(trx, orgId, {
      customerId: match.customerId,
      kind: 'reply_received',
      channel: 'email',
      summary: `Email reply from ${mail.from}: ${mail.subject || '(no subject)'}`,
      payload: {
        messageId: externalId,
        deliveryId: match.deliveryId,
        matchedBy: match.matchedBy,
        from: mail.from,
        subject: mail.subject,
        text: body.slice(0, 4000),
      },
      contentSha256: createHash('sha256').update(raw).digest('hex'),
    });
    const org = await getOrganisation(trx, orgId);
    const taskId = await insertTask(trx, orgId, {
      customerId: match.customerId,
      kind: 'reply',
      title: `Reply from ${mail.from}: ${mail.subject || body.slice(0, 80)}`,
      detail: {
        channel: 'email',
        messageId: externalId,
        deliveryId: match.deliveryId,
        excerpt: body.slice(0, 500),
      },
      dueDate: zonedParts(now, org?.time_zone ?? 'Europe/Paris').date,
    });
    return { kind: 'reply', ...match, stored, taskId };
  });
}
