import type { Kysely } from 'kysely';
import type { Database } from '../schema/index.js';

/** The rendered parts of a reminder, exactly as hashed into the evidence file. */
export interface SentMessageContent {
  channel: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
  sms: string;
  letter: string;
  contentSha256: string;
}

/**
 * Keep what a reminder said, in the transaction that records its sending. A re-delivered
 * action (the lease expired after the provider accepted) rendered the same content, so the
 * first copy stays.
 */
export async function saveSentMessage(
  db: Kysely<Database>,
  orgId: string,
  actionId: string,
  customerId: string,
  m: SentMessageContent,
): Promise<void> {
  await db
    .insertInto('sent_messages')
    .values({
      org_id: orgId,
      action_id: actionId,
      customer_id: customerId,
      channel: m.channel,
      locale: m.locale,
      subject: m.subject,
      html: m.html,
      body_text: m.text,
      sms: m.sms,
      letter: m.letter,
      content_sha256: m.contentSha256,
    })
    .onConflict((oc) => oc.columns(['org_id', 'action_id']).doNothing())
    .execute();
}

export async function findSentMessage(
  db: Kysely<Database>,
  orgId: string,
  customerId: string,
  actionId: string,
): Promise<(SentMessageContent & { sentAt: Date }) | undefined> {
  const r = await db
    .selectFrom('sent_messages')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('customer_id', '=', customerId)
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    channel: r.channel,
    locale: r.locale,
    subject: r.subject,
    html: r.html,
    text: r.body_text,
    sms: r.sms,
    letter: r.letter,
    contentSha256: r.content_sha256,
    sentAt: r.sent_at,
  };
}
