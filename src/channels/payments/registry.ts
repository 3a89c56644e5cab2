import type { Config } from '../../config.js';
import type { PaymentProvider } from './provider.js';
import { stripeProvider } from './stripe.js';
import { testPaymentProvider } from './test-double.js';

export interface PaymentProviders {
  get(name: string): PaymentProvider | undefined;
  /** The provider portal checkouts use: Stripe when configured, else the test double, else none. */
  checkout: PaymentProvider | undefined;
}

export function paymentProvidersFrom(list: PaymentProvider[]): PaymentProviders {
  const byName = new Map(list.map((p) => [p.name, p]));
  return { get: (n) => byName.get(n), checkout: byName.get('stripe') ?? byName.get('test') };
}

export function paymentProvidersOf(config: Config): PaymentProviders {
  const list: PaymentProvider[] = [];
  if (config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET)
    list.push(
      stripeProvider({
        secretKey: config.STRIPE_SECRET_KEY,
        webhookSecret: config.STRIPE_WEBHOOK_SECRET,
        apiUrl: config.STRIPE_API_URL,
      }),
    );
  if (config.RELANCE_PAYMENT_TEST_SECRET) list.push(testPaymentProvider(config.RELANCE_PAYMENT_TEST_SECRET));
  return paymentProvidersFrom(list);
}
