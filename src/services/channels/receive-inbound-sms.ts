import { type Kysely, sql } from 'kysely';
import { normalisePhone } from '../../channels/sms/addressing.js';
import { parseOptKeyword } from '../../channels/sms/opt-out.js';
import type { InboundSms } from '../../channels/sms/provider.js';
import { withOrg } from '../../db/connection.js';
import { recordInboundReply, recordOptKeyword, withdrawSmsConsent } from '../../db/queries/deliveries.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { insertTask } from './tasks.js';

export interface InboundSmsOutcome {
  keyword: 'stop' | 'start' | null;
  customerId: string | null;
  /** False when this message was already received (provider retry). */
  stored: boolean;
}

/**
 * The customer a number belongs to: the one we last texted at that number, else the only
 * customer with a contact at that number (national or international spelling).
 */
async function customerOfPhone(
  db: Kysely<Database>,
  orgId: string,
  phone: string,
): Promise<{ customerId: string; deliveryId: string | null } | null> {
  const sent = await db
    .selectFrom('message_deliveries')
    .select(['id', 'customer_id'])
    .where('org_id', '=', orgId)
    .where('channel', '=', 'sms')
    .where('to_address', '=', phone)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (sent) return { customerId: sent.customer_id, deliveryId: sent.id };
  const national = phone.startsWith('+33') ? `0${phone.slice(3)}` : phone;
  const r = await sql<{ customer_id: string }>`
    select distinct customer_id from contacts
    where org_id = ${orgId} and regexp_replace(coalesce(phone, ''), '[^0-9+]', '', 'g') in (${phone}, ${national})
    limit 2`.execute(db);
  const only = r.rows.length === 1 ? r.rows[0] : undefined;
  return only ? { customerId: only.customer_id, deliveryId: null } : null;
}

/**
 * A debtor texted back. STOP/ARRET (first word) opts the number out of SMS for this
 * organisation, START opts it back in — whatever the customer, since the number is what
 * the carrier and the law key on. Anything else is a reply: stored once (provider message
 * id), put on the customer's timeline and given to a collector as a 'reply' task.
 */
export async function receiveInboundSms(
  db: Kysely<Database>,
  orgId: string,
  sms: InboundSms,
  now: Date = new Date(),
): Promise<InboundSmsOutcome> {
  const from = normalisePhone(sms.from) ?? sms.from;
  const keyword = parseOptKeyword(sms.text);
  return withOrg(db, orgId, async (trx) => {
    if (keyword && /^\+[1-9][0-9]{7,14}$/.test(from)) {
      await recordOptKeyword(trx, orgId, from, keyword, now, `${sms.provider}-inbound`);
      // START records the number as reachable again but does not restore consent by itself:
      // a collector re-enables SMS on the contact once they know who asked.
      if (keyword === 'stop') await withdrawSmsConsent(trx, orgId, from);
    }
    const match = await customerOfPhone(trx, orgId, from);
    if (!match) return { keyword, customerId: null, stored: false };
    const stored = await recordInboundReply(trx, orgId, {
      channel: 'sms',
      externalId: `${sms.provider}:${sms.providerMessageId}`,
      customerId: match.customerId,
      ...(match.deliveryId ? { deliveryId: match.deliveryId } : {}),
      fromAddress: from,
      bodyText: sms.text,
      tokenSource: match.deliveryId ? 'last-sms' : 'contact-phone',
      receivedAt: now,
    });
    if (!stored) return { keyword, customerId: match.customerId, stored };
    await appendEvidenceEntry(trx, orgId, {
      customerId: match.customerId,
      kind: keyword ? 'note' : 'reply_received',
      channel: 'sms',
      summary:
        keyword === 'stop'
          ? `SMS opt-out (${sms.text.trim().split(/\s+/)[0]}) from ${from}: no more SMS to this number`
          : keyword === 'start'
            ? `SMS opt-in again (${sms.text.trim().split(/\s+/)[0]}) from ${from}`
            : `SMS reply from ${from}: ${sms.text.slice(0, 160)}`,
      payload: {
        provider: sms.provider,
        providerMessageId: sms.providerMessageId,
        deliveryId: match.deliveryId,
        keyword,
        text: sms.text,
      },
      contentSha256: null,
    });
    if (!keyword) {
      const org = await getOrganisation(trx, orgId);
      await insertTask(trx, orgId, {
        customerId: match.customerId,
        kind: 'reply',
        title: `SMS reply: ${sms.text.slice(0, 120)}`,
        detail: { channel: 'sms', from, deliveryId: match.deliveryId, text: sms.text },
        dueDate: zonedParts(now, org?.time_zone ?? 'Europe/Paris').date,
      });
    }
    return { keyword, customerId: match.customerId, stored };
  });
}
