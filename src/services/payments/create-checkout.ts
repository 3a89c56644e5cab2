import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PaymentProvider, ProviderMethod } from '../../channels/payments/provider.js';
import { PaymentProviderError } from '../../channels/payments/provider.js';
import { withOrg } from '../../db/connection.js';
import type { Database } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { type PortalSecretSource, withPortalAccess } from '../portal/portal-access.js';

export interface CreateCheckoutInput {
  invoiceIds: string[];
  methods?: ProviderMethod[];
}

export interface CheckoutUrls {
  successUrl: string;
  cancelUrl: string;
}

/**
 * The debtor pays some open items by card (or SEPA debit) on the provider's hosted page.
 * Three steps so no transaction is held open across the provider's network call: record
 * the checkout (what it pays, for how much), ask the provider for a session, store the
 * session id the webhook will name. The amount is what the items owe now, computed here —
 * never taken from the browser.
 */
export async function createCheckout(
  db: Kysely<Database>,
  token: string,
  secret: PortalSecretSource,
  provider: PaymentProvider | undefined,
  input: CreateCheckoutInput,
  urls: CheckoutUrls,
  now: Date,
): Promise<{ checkoutId: string; redirectUrl: string }> {
  const notConfigured = () =>
    new AppError('UNPROCESSABLE', 'Online payment is not available: pay by bank transfer', [
      { field: 'invoiceIds', reason: 'no payment provider is configured' },
    ]);
  const prepared = await withPortalAccess(db, token, secret, now, async (trx, access) => {
    // Checked after the token, so a bad link answers the same whatever the configuration.
    if (!provider) throw notConfigured();
    const ids = [...new Set(input.invoiceIds)];
    const items = await trx
      .selectFrom('invoices')
      .select(['id', 'invoice_number', 'balance_minor', 'currency', 'disputed'])
      .where('org_id', '=', access.orgId)
      .where('customer_id', '=', access.customerId)
      .where('id', 'in', ids)
      .where('balance_minor', '>', 0)
      .orderBy('due_date')
      .execute();
    const usable = items.filter((i) => !i.disputed);
    if (usable.length !== ids.length) {
      const found = new Set(usable.map((i) => i.id));
      throw new AppError(
        'UNPROCESSABLE',
        'Some invoices cannot be paid online',
        ids
          .filter((id) => !found.has(id))
          .map((id) => ({
            field: 'invoiceIds',
            value: id,
            reason: 'not one of your undisputed invoices with a balance due',
          })),
      );
    }
    const currencies = [...new Set(usable.map((i) => i.currency))];
    if (currencies.length !== 1)
      throw new AppError('UNPROCESSABLE', 'One payment covers invoices in one currency', [
        { field: 'invoiceIds', value: currencies.join(','), reason: 'choose invoices in a single currency' },
      ]);
    const contact = await trx
      .selectFrom('contacts')
      .select('email')
      .where('org_id', '=', access.orgId)
      .where('customer_id', '=', access.customerId)
      .where('email', 'is not', null)
      .orderBy('is_primary', 'desc')
      .executeTakeFirst();
    const lang = await trx
      .selectFrom('customers')
      .select('language')
      .where('org_id', '=', access.orgId)
      .where('id', '=', access.customerId)
      .executeTakeFirst();
    const checkoutId = randomUUID();
    const amountMinor = usable.reduce((s, i) => s + Number(i.balance_minor), 0);
    const currency = currencies[0] as string;
    await trx
      .insertInto('payment_checkouts')
      .values({
        org_id: access.orgId,
        id: checkoutId,
        customer_id: access.customerId,
        provider: provider.name,
        provider_session_id: `pending:${checkoutId}`,
        invoice_ids: usable.map((i) => i.id),
        currency,
        amount_minor: amountMinor,
      })
      .execute();
    return {
      checkoutId,
      orgId: access.orgId,
      customerId: access.customerId,
      amountMinor,
      currency,
      numbers: usable.map((i) => i.invoice_number),
      email: contact?.email ?? undefined,
      lang: lang?.language === 'en' ? ('en' as const) : ('fr' as const),
    };
  });
  if (!provider) throw notConfigured();
  const list = prepared.numbers.join(', ');
  let session: { sessionId: string; redirectUrl: string };
  try {
    session = await provider.createCheckout({
      checkoutId: prepared.checkoutId,
      orgId: prepared.orgId,
      customerId: prepared.customerId,
      amountMinor: prepared.amountMinor,
      currency: prepared.currency,
      description:
        prepared.lang === 'fr'
          ? `Règlement facture${prepared.numbers.length > 1 ? 's' : ''} ${list}`
          : `Payment of invoice${prepared.numbers.length > 1 ? 's' : ''} ${list}`,
      methods: input.methods && input.methods.length > 0 ? input.methods : ['card'],
      successUrl: urls.successUrl,
      cancelUrl: urls.cancelUrl,
      ...(prepared.email ? { customerEmail: prepared.email } : {}),
      locale: prepared.lang,
    });
  } catch (e) {
    await withOrg(db, prepared.orgId, (trx) =>
      trx
        .updateTable('payment_checkouts')
        .set({ status: 'failed' })
        .where('org_id', '=', prepared.orgId)
        .where('id', '=', prepared.checkoutId)
        .execute(),
    );
    if (e instanceof PaymentProviderError)
      throw new AppError(
        'UNPROCESSABLE',
        'The payment page could not be opened; try again or pay by transfer',
        [{ field: 'invoiceIds', reason: e.message }],
      );
    throw e;
  }
  await withOrg(db, prepared.orgId, (trx) =>
    trx
      .updateTable('payment_checkouts')
      .set({ provider_session_id: session.sessionId })
      .where('org_id', '=', prepared.orgId)
      .where('id', '=', prepared.checkoutId)
      .execute(),
  );
  return { checkoutId: prepared.checkoutId, redirectUrl: session.redirectUrl };
}
