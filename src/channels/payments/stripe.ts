import {
  type CheckoutRequest,
  type CheckoutSession,
  type PaymentProvider,
  PaymentProviderError,
  type ProviderEvent,
} from './provider.js';
import { verifyStripeSignature } from './stripe-signature.js';

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** https://api.stripe.com; tests point it at a local server. */
  apiUrl: string;
  fetch?: typeof fetch;
}

/** Stripe's form encoding of nested parameters: a[b][0][c]=v. */
export function stripeForm(params: Record<string, unknown>): URLSearchParams {
  const out = new URLSearchParams();
  const walk = (prefix: string, v: unknown) => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(`${prefix}[${i}]`, x);
    } else if (typeof v === 'object')
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        walk(prefix ? `${prefix}[${k}]` : k, x);
    else out.append(prefix, String(v));
  };
  walk('', params);
  return out;
}

/**
 * Stripe Checkout: a hosted payment page (card, or SEPA Direct Debit as a second method)
 * created with POST /v1/checkout/sessions; the outcome arrives as signed webhook events.
 * Card payments complete synchronously (checkout.session.completed with payment_status
 * 'paid'); a SEPA debit completes as 'unpaid' and settles days later with
 * checkout.session.async_payment_succeeded (or _failed).
 */
export function stripeProvider(o: StripeOptions): PaymentProvider {
  const doFetch = o.fetch ?? fetch;
  return {
    name: 'stripe',
    async createCheckout(req: CheckoutRequest): Promise<CheckoutSession> {
      const metadata = { relance_org_id: req.orgId, relance_checkout_id: req.checkoutId };
      const body = stripeForm({
        mode: 'payment',
        success_url: req.successUrl,
        cancel_url: req.cancelUrl,
        client_reference_id: req.checkoutId,
        customer_email: req.customerEmail,
        locale: req.locale,
        payment_method_types: req.methods,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: req.currency.toLowerCase(),
              unit_amount: req.amountMinor,
              product_data: { name: req.description.slice(0, 250) },
            },
          },
        ],
        metadata,
        payment_intent_data: { metadata },
      });
      let res: Response;
      try {
        res = await doFetch(`${o.apiUrl.replace(/\/$/, '')}/v1/checkout/sessions`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${o.secretKey}`,
            'content-type': 'application/x-www-form-urlencoded',
            // Retrying the same checkout never opens a second session.
            'idempotency-key': `relance-checkout-${req.checkoutId}`,
          },
          body,
          signal: AbortSignal.timeout(15_000),
        });
      } catch (e) {
        throw new PaymentProviderError(`Stripe unreachable: ${(e as Error).message}`, true);
      }
      const json = (await res.json().catch(() => ({}))) as {
        id?: string;
        url?: string;
        error?: { message?: string };
      };
      if (!res.ok || !json.id || !json.url) {
        throw new PaymentProviderError(
          `Stripe refused the checkout (${res.status}): ${json.error?.message ?? 'no session in the answer'}`,
          res.status >= 500 || res.status === 429,
        );
      }
      return { sessionId: json.id, redirectUrl: json.url };
    },
    verifyWebhook(rawBody, headers, now) {
      const h = headers['stripe-signature'];
      return verifyStripeSignature(Array.isArray(h) ? h[0] : h, rawBody, o.webhookSecret, now);
    },
    parseEvent: parseStripeEvent,
  };
}

interface StripeSession {
  id?: string;
  object?: string;
  amount_total?: number;
  currency?: string;
  payment_status?: string;
  payment_intent?: string | { id?: string } | null;
  metadata?: Record<string, string>;
  client_reference_id?: string | null;
}

export function parseStripeEvent(rawBody: Buffer): ProviderEvent | null {
  let e: { id?: unknown; object?: unknown; type?: unknown; data?: { object?: StripeSession } };
  try {
    e = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof e.id !== 'string' || typeof e.type !== 'string' || e.object !== 'event') return null;
  const s = e.data?.object;
  const base = { id: e.id, type: e.type };
  if (s?.object !== 'checkout.session' || typeof s.id !== 'string') return { ...base, kind: 'ignored' };
  const pi = typeof s.payment_intent === 'string' ? s.payment_intent : s.payment_intent?.id;
  const session = {
    sessionId: s.id,
    ...(pi ? { paymentId: pi } : {}),
    ...(typeof s.amount_total === 'number' ? { amountMinor: s.amount_total } : {}),
    ...(s.currency ? { currency: s.currency.toUpperCase() } : {}),
    ...(s.metadata?.relance_org_id ? { orgId: s.metadata.relance_org_id } : {}),
    ...(s.metadata?.relance_checkout_id || s.client_reference_id
      ? { checkoutId: s.metadata?.relance_checkout_id ?? (s.client_reference_id as string) }
      : {}),
  };
  switch (e.type) {
    case 'checkout.session.completed':
      // A SEPA debit completes the session unpaid: the money is only there at async_payment_succeeded.
      return s.payment_status === 'paid'
        ? { ...base, ...session, kind: 'payment_succeeded', method: 'card' }
        : { ...base, ...session, kind: 'ignored' };
    case 'checkout.session.async_payment_succeeded':
      return { ...base, ...session, kind: 'payment_succeeded', method: 'sepa_debit' };
    case 'checkout.session.async_payment_failed':
      return { ...base, ...session, kind: 'payment_failed', method: 'sepa_debit' };
    case 'checkout.session.expired':
      return { ...base, ...session, kind: 'checkout_expired' };
    default:
      return { ...base, ...session, kind: 'ignored' };
  }
}
