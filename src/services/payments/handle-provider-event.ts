import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { PaymentProvider, ProviderEvent } from '../../channels/payments/provider.js';
import { withOrg } from '../../db/connection.js';
import { appendEvidenceEntry } from '../../db/queries/evidence.js';
import { openInvoicesOfCustomers } from '../../db/queries/imports.js';
import { getOrganisation } from '../../db/queries/organisations.js';
import type { Database } from '../../db/schema/index.js';
import { zonedParts } from '../../domain/calendar/index.js';
import { AppError } from '../../errors.js';
import { recordPayment } from './record-payment.js';

export type ProviderEventOutcome =
  | { status: 'recorded'; paymentId: string; allocatedMinor: number }
  | { status: 'duplicate' }
  | { status: 'updated'; checkoutStatus: 'failed' | 'expired' }
  | { status: 'ignored'; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A verified provider event. The event id is inserted first (primary key: provider + event
 * id) in the same transaction as the payment, so a redelivered event records nothing twice
 * and a crash leaves neither. A confirmed payment goes through recordPayment, allocated to
 * the checkout's invoices (oldest due first); balances are refreshed there, so the next
 * dunning run no longer sees those items.
 */
export async function handleProviderEvent(
  db: Kysely<Database>,
  provider: PaymentProvider,
  event: ProviderEvent,
  now: Date,
): Promise<ProviderEventOutcome> {
  if (!event.orgId || !UUID.test(event.orgId))
    return { status: 'ignored', reason: 'no organisation in metadata' };
  const orgId = event.orgId;
  return withOrg(db, orgId, async (trx) => {
    const org = await getOrganisation(trx, orgId);
    if (!org) return { status: 'ignored', reason: 'unknown organisation' } as const;
    const fresh = await trx
      .insertInto('payment_provider_events')
      .values({
        org_id: orgId,
        provider: provider.name,
        event_id: event.id,
        type: event.type,
        payment_id: null,
      })
      .onConflict((oc) => oc.columns(['org_id', 'provider', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!fresh) return { status: 'duplicate' } as const;
    if (event.kind === 'ignored')
      return { status: 'ignored', reason: `event ${event.type} not used` } as const;
    const checkout = await trx
      .selectFrom('payment_checkouts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('provider', '=', provider.name)
      .where((eb) =>
        eb.or([
          ...(event.sessionId ? [eb('provider_session_id', '=', event.sessionId)] : []),
          ...(event.checkoutId && UUID.test(event.checkoutId) ? [eb('id', '=', event.checkoutId)] : []),
        ]),
      )
      .forUpdate()
      .executeTakeFirst();
    if (!checkout) return { status: 'ignored', reason: 'no checkout of ours matches' } as const;
    if (event.kind === 'payment_failed' || event.kind === 'checkout_expired') {
      const st = event.kind === 'payment_failed' ? ('failed' as const) : ('expired' as const);
      if (checkout.status === 'open')
        await trx
          .updateTable('payment_checkouts')
          .set({ status: st })
          .where('org_id', '=', orgId)
          .where('id', '=', checkout.id)
          .execute();
      return { status: 'updated', checkoutStatus: st } as const;
    }
    // A confirmed payment. One checkout is paid at most once, whatever events say.
    if (checkout.status === 'paid') return { status: 'duplicate' } as const;
    const amount = event.amountMinor ?? Number(checkout.amount_minor);
    const currency = event.currency ?? checkout.currency;
    if (currency !== checkout.currency)
      throw new AppError(
        'UNPROCESSABLE',
        `Checkout ${checkout.id} is in ${checkout.currency}, the event in ${currency}`,
      );
    // Settle the checkout's invoices, oldest due first, up to what each still owes; the
    // rest (paid twice meanwhile, say) stays on the customer as credit.
    const open = (await openInvoicesOfCustomers(trx, orgId, [checkout.customer_id])).filter(
      (i) => checkout.invoice_ids.includes(i.id) && i.currency === currency,
    );
    let left = amount;
    const allocations: { invoiceId: string; amount: number }[] = [];
    for (const i of open) {
      const a = Math.min(left, Number(i.balance));
      if (a > 0) allocations.push({ invoiceId: i.id, amount: a });
      left -= a;
    }
    const recorded = await recordPayment(trx, orgId, {
      customerId: checkout.customer_id,
      paymentReference: `${provider.name}:${event.paymentId ?? event.sessionId ?? checkout.id}`,
      receivedOn: zonedParts(now, org.time_zone).date,
      amount,
      currency,
      method: event.method === 'sepa_debit' ? 'direct_debit' : 'card',
      ...(event.sessionId ? { bankReference: event.sessionId } : {}),
      ...(allocations.length > 0 ? { allocations } : { allocation: 'none' as const }),
      actor: `${provider.name}-webhook`,
    });
    await trx
      .updateTable('payment_checkouts')
      .set({ status: 'paid' })
      .where('org_id', '=', orgId)
      .where('id', '=', checkout.id)
      .execute();
    await sql`update payment_provider_events set payment_id = ${recorded.paymentId}
      where org_id = ${orgId} and provider = ${provider.name} and event_id = ${event.id}`.execute(trx);
    await appendEvidenceEntry(trx, orgId, {
      customerId: checkout.customer_id,
      kind: 'payment',
      channel: 'portal',
      summary: `payment of ${amount} ${currency} by ${event.method === 'sepa_debit' ? 'SEPA direct debit' : 'card'} via ${provider.name}`,
      payload: {
        paymentId: recorded.paymentId,
        checkoutId: checkout.id,
        provider: provider.name,
        eventId: event.id,
        allocations: recorded.allocations,
        unallocatedMinor: recorded.unallocated,
      },
      contentSha256: null,
      at: now,
    });
    return {
      status: 'recorded',
      paymentId: recorded.paymentId,
      allocatedMinor: amount - recorded.unallocated,
    } as const;
  });
}
