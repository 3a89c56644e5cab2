import type { Kysely } from 'kysely';
import { findSentMessage, type SentMessageContent } from '../../db/queries/sent-messages.js';
import type { Database } from '../../db/schema/index.js';
import { renderedContentSha256 } from '../../domain/templates/index.js';
import { notFound } from '../../errors.js';

export interface SentMessageView extends SentMessageContent {
  actionId: string;
  sentAt: Date;
  /**
   * True when the stored parts hash to the SHA-256 that the customer's evidence file recorded
   * for this action: what is shown is provably what was sent.
   */
  matchesEvidence: boolean;
}

/** A reminder as it was sent, checked against the hash chained into the evidence file. */
export async function getSentMessage(
  trx: Kysely<Database>,
  orgId: string,
  customerId: string,
  actionId: string,
): Promise<SentMessageView> {
  const m = await findSentMessage(trx, orgId, customerId, actionId);
  if (!m) throw notFound('Sent message', actionId);
  const recorded = await trx
    .selectFrom('evidence')
    .select('content_sha256')
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'message_sent')
    .where((eb) => eb(eb.ref('payload', '->>').key('actionId'), '=', actionId))
    .executeTakeFirst();
  const recomputed = renderedContentSha256({
    html: m.html,
    letter: m.letter,
    sms: m.sms,
    subject: m.subject,
    text: m.text,
  });
  return {
    ...m,
    actionId,
    matchesEvidence: recorded?.content_sha256 === recomputed && m.contentSha256 === recomputed,
  };
}
