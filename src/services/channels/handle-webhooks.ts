import type { Kysely } from 'kysely';
import { type OrgChannelSettings, parseOrgChannelSettings, smsProviderOf } from '../../channels/registry.js';
import { header, type WebhookRequest } from '../../channels/sms/provider.js';
import { withOrg } from '../../db/connection.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type InboundSmsOutcome, receiveInboundSms } from './receive-inbound-sms.js';
import { parseEmailEvents, recordEmailEvents } from './record-email-events.js';
import { recordReceipts } from './record-receipts.js';
import { emailWebhookSecret, verifyBodySignature } from './webhook-secrets.js';

/** One answer for every reason a webhook is refused: a caller learns nothing about the org. */
const refused = () => new AppError('UNAUTHENTICATED', 'webhook signature missing or invalid');

async function orgSettings(db: Kysely<Database>, orgId: string): Promise<OrgChannelSettings> {
  const org = await withOrg(db, orgId, (trx) => getOrganisation(trx, orgId));
  if (!org) throw refused();
  try {
    return parseOrgChannelSettings(org.settings);
  } catch {
    throw refused();
  }
}

export type SmsWebhookOutcome =
  | { kind: 'receipts'; received: number; inserted: number }
  | ({ kind: 'inbound' } & InboundSmsOutcome)
  | { kind: 'ignored' };

/**
 * A provider called /hooks/sms/<orgId>/<provider>: authenticate it with the organisation's
 * provider credentials (Twilio signature, Brevo signed URL or body signature) before
 * reading anything, then record delivery receipts or an inbound message.
 */
export async function handleSmsWebhook(
  db: Kysely<Database>,
  orgId: string,
  providerName: string,
  req: WebhookRequest,
  now: Date = new Date(),
): Promise<SmsWebhookOutcome> {
  const settings = await orgSettings(db, orgId);
  const provider = smsProviderOf(settings);
  if (!provider || provider.name !== providerName || !provider.verifyWebhook(req)) throw refused();
  const receipts = provider.parseWebhook(req);
  if (receipts.length > 0) {
    const r = await recordReceipts(db, orgId, receipts, now);
    return { kind: 'receipts', received: r.received, inserted: r.inserted };
  }
  const inbound = provider.parseInbound?.(req);
  if (inbound) return { kind: 'inbound', ...(await receiveInboundSms(db, orgId, inbound, now)) };
  return { kind: 'ignored' };
}

/** A relay posted signed email events (bounces, complaints, deliveries) to /hooks/email/<orgId>. */
export async function handleEmailWebhook(
  db: Kysely<Database>,
  orgId: string,
  req: WebhookRequest,
  appSecret: string | undefined,
  now: Date = new Date(),
): Promise<{ received: number; matched: number; inserted: number }> {
  const settings = await orgSettings(db, orgId);
  const secret = emailWebhookSecret(settings, orgId, appSecret);
  if (!secret || !verifyBodySignature(secret, req.rawBody, header(req, 'x-relance-signature'))) {
    throw refused();
  }
  const r = await recordEmailEvents(db, orgId, parseEmailEvents(req.rawBody), now);
  return { received: r.received, matched: r.matched, inserted: r.inserted };
}
