import { randomUUID } from 'node:crypto';
import type { CheckoutRequest, CheckoutSession, PaymentProvider } from './provider.js';
import { parseStripeEvent } from './stripe.js';
import { stripeSignatureHeader, verifyStripeSignature } from './stripe-signature.js';

/**
 * A provider for development and tests: no network; its "hosted page" is a URL on the
 * caller's base, and its webhooks are Stripe-shaped events signed with the same scheme,
 * under the header x-test-signature. `signedEvent` builds one, as a provider would.
 */
export interface TestProvider extends PaymentProvider {
  readonly sessions: CheckoutRequest[];
  signedEvent(
    event: { type: string; sessionId: string; checkout: CheckoutRequest; paid?: boolean; eventId?: string },
    at: Date,
  ): { body: string; headers: Record<string, string> };
}

export function testPaymentProvider(secret: string, baseUrl = 'https://checkout.test.invalid'): TestProvider {
  const sessions: CheckoutRequest[] = [];
  return {
    name: 'test',
    sessions,
    async createCheckout(req): Promise<CheckoutSession> {
      sessions.push(req);
      const sessionId = `cs_test_${req.checkoutId.replaceAll('-', '')}`;
      return { sessionId, redirectUrl: `${baseUrl}/pay/${sessionId}` };
    },
    verifyWebhook(rawBody, headers, now) {
      const h = headers['x-test-signature'];
      return verifyStripeSignature(Array.isArray(h) ? h[0] : h, rawBody, secret, now);
    },
    parseEvent: parseStripeEvent,
    signedEvent(e, at) {
      const metadata = { relance_org_id: e.checkout.orgId, relance_checkout_id: e.checkout.checkoutId };
      const body = JSON.stringify({
        id: e.eventId ?? `evt_${randomUUID().replaceAll('-', '')}`,
        object: 'event',
        type: e.type,
        created: Math.floor(at.getTime() / 1000),
        data: {
          object: {
            id: e.sessionId,
            object: 'checkout.session',
            amount_total: e.checkout.amountMinor,
            currency: e.checkout.currency.toLowerCase(),
            payment_status: e.paid === false ? 'unpaid' : 'paid',
            payment_intent: `pi_${e.sessionId.slice(-16)}`,
            client_reference_id: e.checkout.checkoutId,
            metadata,
          },
        },
      });
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-test-signature': stripeSignatureHeader(secret, body, at),
        },
      };
    },
  };
}
