import type { Kysely } from 'kysely';
import type { DeliveryReceipt } from '../../channels/sms/provider.js';
import { withOrg } from '../../db/connection.js';
import {
  type EventsOutcome,
  type NewDeliveryEvent,
  recordDeliveryEvents,
} from '../../db/queries/deliveries.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { insertTask } from './tasks.js';

const WORDS: Record<string, string> = {
  delivered: 'delivered',
  opened: 'opened',
  clicked: 'link clicked',
  bounced: 'rejected (bounced)',
  failed: 'failed',
};

function summaryOf(e: NewDeliveryEvent): string {
  const what =
    e.providerStatus === 'complaint' ? 'marked as spam by the recipient' : (WORDS[e.status] ?? e.status);
  const detail = e.errorCode ? ` (${e.errorCode})` : '';
  return `${e.channel === 'sms' ? 'SMS' : e.channel} ${what}${detail}`;
}

/**
 * Store provider receipts (SMS webhooks, email bounces and complaints, opens and clicks)
 * and put every new outcome (delivered, opened, clicked, bounced, failed) on the
 * customer's timeline. A receipt delivered twice is stored
 * once and written to the timeline once (recordDeliveryEvents only returns new events).
 * A bounce or failure that moved a delivery also opens a 'bounce' task for a collector:
 * the debtor has not been reached and someone must find another address.
 */
export async function recordReceipts(
  db: Kysely<Database>,
  orgId: string,
  receipts: DeliveryReceipt[],
  now: Date = new Date(),
): Promise<EventsOutcome> {
  return withOrg(db, orgId, async (trx) => {
    const outcome = await recordDeliveryEvents(trx, orgId, receipts);
    if (outcome.events.length === 0) return outcome;
    const org = await getOrganisation(trx, orgId);
    const today = zonedParts(now, org?.time_zone ?? 'Europe/Paris').date;
    for (const e of outcome.events) {
      // Intermediate provider states (queued, sending, sent) stay in delivery_events: the
      // timeline already says the message was sent, and a debtor's file should read as
      // what happened to them, not as a carrier's log.
      if (e.status === 'queued' || e.status === 'sent') continue;
      await appendEvidenceEntry(trx, orgId, {
        customerId: e.customerId,
        kind: 'delivery_status',
        channel: e.channel,
        summary: summaryOf(e),
        payload: {
          deliveryId: e.deliveryId,
          provider: e.provider,
          status: e.status,
          providerStatus: e.providerStatus,
          errorCode: e.errorCode,
          eventKey: e.eventKey,
          occurredAt: e.occurredAt.toISOString(),
        },
        contentSha256: null,
      });
      if ((e.status === 'bounced' || e.status === 'failed') && e.moved) {
        await insertTask(trx, orgId, {
          customerId: e.customerId,
          kind: 'bounce',
          title: `${e.channel === 'sms' ? 'SMS' : 'Email'} not delivered${e.errorCode ? ` (${e.errorCode})` : ''}: find another address`,
          detail: { deliveryId: e.deliveryId, providerStatus: e.providerStatus, errorCode: e.errorCode },
          dueDate: today,
        });
      }
    }
    return outcome;
  });
}
