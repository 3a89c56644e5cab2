import type { Kysely } from 'kysely';
import { verifyLinkSignature, verifyTrackingToken } from '../../channels/email/tracking.js';
import { withOrg } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { recordReceipts } from './record-receipts.js';

/**
 * An email was opened (pixel fetched) or a link clicked: record it once per delivery and
 * kind — an 'opened'/'clicked' event on the delivery and an entry on the timeline. Forged
 * or unknown tokens record nothing (and the pixel is served all the same).
 */
export async function recordTracking(
  db: Kysely<Database>,
  secret: string | undefined,
  token: string,
  kind: 'open' | 'click',
  now: Date = new Date(),
): Promise<boolean> {
  if (!secret) return false;
  const ref = verifyTrackingToken(secret, token);
  if (!ref || !/^[0-9a-f-]{36}$/i.test(ref.orgId)) return false;
  const delivery = await withOrg(db, ref.orgId, (trx) =>
    trx
      .selectFrom('message_deliveries')
      .select(['provider', 'provider_message_id'])
      .where('org_id', '=', ref.orgId)
      .where('idempotency_key', '=', ref.deliveryKey)
      .where('channel', '=', 'email')
      .executeTakeFirst(),
  );
  if (!delivery?.provider_message_id) return false;
  const r = await recordReceipts(
    db,
    ref.orgId,
    [
      {
        provider: delivery.provider,
        providerMessageId: delivery.provider_message_id,
        status: kind === 'open' ? 'opened' : 'clicked',
        providerStatus: kind,
        eventKey: `${delivery.provider_message_id}:${kind}`,
        occurredAt: now,
      },
    ],
    now,
  );
  return r.inserted > 0;
}

/** The link to redirect a click to, or null when it was not signed for this message. */
export function clickTarget(
  secret: string | undefined,
  token: string,
  url: string,
  sig: string,
): string | null {
  if (!secret || !/^https?:\/\//i.test(url)) return null;
  return verifyLinkSignature(secret, token, url, sig) ? url : null;
}
