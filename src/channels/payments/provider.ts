/**
 * One interface for card and direct-debit payment providers: open a hosted checkout, check
 * a webhook's signature, and read the event. Providers never decide what a payment settles:
 * the use case records it through recordPayment like any other payment.
 */
export type ProviderMethod = 'card' | 'sepa_debit';

export interface CheckoutRequest {
  /** Our id for the checkout: the provider echoes it back in the webhook's metadata. */
  checkoutId: string;
  orgId: string;
  customerId: string;
  amountMinor: number;
  currency: string;
  /** What the debtor sees on the payment page, e.g. "Invoices F-1, F-2". */
  description: string;
  methods: ProviderMethod[];
  successUrl: string;
  cancelUrl: string;
  customerEmail?: string;
  locale?: 'fr' | 'en';
}

export interface CheckoutSession {
  sessionId: string;
  redirectUrl: string;
}

export type ProviderEventKind = 'payment_succeeded' | 'payment_failed' | 'checkout_expired' | 'ignored';

export interface ProviderEvent {
  id: string;
  type: string;
  kind: ProviderEventKind;
  sessionId?: string;
  /** The provider's payment id (Stripe PaymentIntent), for the payment reference. */
  paymentId?: string;
  amountMinor?: number;
  currency?: string;
  method?: ProviderMethod;
  /** Our ids, echoed back from the checkout's metadata. */
  orgId?: string;
  checkoutId?: string;
}

export interface PaymentProvider {
  readonly name: string;
  createCheckout(req: CheckoutRequest): Promise<CheckoutSession>;
  /** true only for a body signed with the provider's secret, recently (replays refused). */
  verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, now: Date): boolean;
  /** null when the body is not an event this provider sends. */
  parseEvent(rawBody: Buffer): ProviderEvent | null;
}

export class PaymentProviderError extends Error {
  constructor(
    message: string,
    public readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}
