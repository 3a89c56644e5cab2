import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseStripeEvent, stripeForm } from '../../../src/channels/payments/stripe.js';
import {
  stripeSignatureHeader,
  verifyStripeSignature,
} from '../../../src/channels/payments/stripe-signature.js';

const SECRET = 'whsec_unit_test_secret';
const NOW = new Date('2026-03-15T11:00:00Z');
const body = Buffer.from('{"id":"evt_1","object":"event","type":"checkout.session.completed"}');

describe('Stripe-Signature', () => {
  it('is HMAC-SHA256 over "<t>.<body>" with the endpoint secret', () => {
    const t = Math.floor(NOW.getTime() / 1000);
    const expected = createHmac('sha256', SECRET).update(`${t}.${body.toString()}`).digest('hex');
    expect(stripeSignatureHeader(SECRET, body, NOW)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts any matching v1 (secret rolling) and refuses other secrets, bodies and old timestamps', () => {
    const good = stripeSignatureHeader(SECRET, body, NOW);
    const other = stripeSignatureHeader('whsec_other', body, NOW).split(',')[1];
    expect(verifyStripeSignature(good, body, SECRET, NOW)).toBe(true);
    expect(verifyStripeSignature(`${good},${other}`, body, SECRET, NOW)).toBe(true);
    expect(verifyStripeSignature(`${good.split(',')[0]},${other}`, body, SECRET, NOW)).toBe(false);
    expect(verifyStripeSignature(good, Buffer.from(`${body} `), SECRET, NOW)).toBe(false);
    expect(verifyStripeSignature(good, body, SECRET, new Date(NOW.getTime() + 301_000))).toBe(false);
    expect(verifyStripeSignature(good, body, SECRET, new Date(NOW.getTime() + 299_000))).toBe(true);
    for (const h of [undefined, '', 't=abc,v1=00', `v1=${'0'.repeat(64)}`, 't=1'])
      expect(verifyStripeSignature(h, body, SECRET, NOW)).toBe(false);
  });
});

describe('Stripe form encoding and events', () => {
  it('encodes nested parameters the Stripe way', () => {
    const f = stripeForm({
      a: 1,
      list: ['x', 'y'],
      items: [{ price_data: { unit_amount: 5 } }],
      skip: undefined,
    });
    expect([...f.entries()]).toEqual([
      ['a', '1'],
      ['list[0]', 'x'],
      ['list[1]', 'y'],
      ['items[0][price_data][unit_amount]', '5'],
    ]);
  });

  const event = (type: string, status = 'paid') =>
    Buffer.from(
      JSON.stringify({
        id: 'evt_9',
        object: 'event',
        type,
        data: {
          object: {
            id: 'cs_9',
            object: 'checkout.session',
            amount_total: 1234,
            currency: 'eur',
            payment_status: status,
            payment_intent: 'pi_9',
            metadata: { relance_org_id: 'org', relance_checkout_id: 'chk' },
          },
        },
      }),
    );

  it('reads card, SEPA, failure and expiry events, and ignores the rest', () => {
    expect(parseStripeEvent(event('checkout.session.completed'))).toMatchObject({
      kind: 'payment_succeeded',
      method: 'card',
      amountMinor: 1234,
      currency: 'EUR',
      sessionId: 'cs_9',
      paymentId: 'pi_9',
      orgId: 'org',
      checkoutId: 'chk',
    });
    expect(parseStripeEvent(event('checkout.session.completed', 'unpaid'))?.kind).toBe('ignored');
    expect(parseStripeEvent(event('checkout.session.async_payment_succeeded', 'paid'))).toMatchObject({
      kind: 'payment_succeeded',
      method: 'sepa_debit',
    });
    expect(parseStripeEvent(event('checkout.session.async_payment_failed'))?.kind).toBe('payment_failed');
    expect(parseStripeEvent(event('checkout.session.expired'))?.kind).toBe('checkout_expired');
    expect(parseStripeEvent(event('customer.created'))?.kind).toBe('ignored');
    expect(parseStripeEvent(Buffer.from('not json'))).toBeNull();
    expect(parseStripeEvent(Buffer.from('{"id":"x","type":"y"}'))).toBeNull();
  });
});
