import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { stripeSignatureHeader } from '../../../src/channels/payments/stripe-signature.js';
import { testPaymentProvider } from '../../../src/channels/payments/test-double.js';
import { loadConfig } from '../../../src/config.js';
import { withOrg } from '../../../src/db/connection.js';
import { planDunningRun } from '../../../src/services/dunning/plan-dunning-run.js';
import { createCheckout } from '../../../src/services/payments/create-checkout.js';
import { createPortalLink } from '../../../src/services/portal/create-portal-link.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { makeCustomers, makeInvoices, NOW, orgWithKey } from '../api/factories.js';

const BASE = 'https://pay.example.com';
const WHSEC = 'whsec_test_0123456789abcdef';
const TEST_SECRET = 'test-provider-secret-0123456789';

/** A local stand-in for api.stripe.com: records what it is sent, answers like Stripe. */
function fakeStripe() {
  const requests: { path: string; headers: Record<string, unknown>; form: URLSearchParams }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      requests.push({ path: req.url ?? '', headers: req.headers, form });
      const id = `cs_test_${requests.length}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ id, object: 'checkout.session', url: `https://checkout.stripe.com/c/pay/${id}` }),
      );
    });
  });
  return { server, requests };
}

describeEngines('payment provider checkout and webhooks', (engine) => {
  let t: TestDb;
  let app: FastifyInstance;
  let orgId: string;
  let customers: { id: string }[];
  let invoices: { id: string; customer_id: string; balance_minor: number }[];
  const stripe = fakeStripe();

  const tokenFor = async (customerId: string) =>
    (
      await withOrg(t.db, orgId, (trx) =>
        createPortalLink(trx, orgId, { customerId }, { baseUrl: BASE, now: NOW }),
      )
    ).url.slice(`${BASE}/portal/`.length);
  const count = async (table: 'payments' | 'payment_provider_events') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('org_id', '=', orgId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stripeEvent = (
    sessionId: string,
    amount: number,
    eventId: string,
    type = 'checkout.session.completed',
  ) =>
    JSON.stringify({
      id: eventId,
      object: 'event',
      type,
      data: {
        object: {
          id: sessionId,
          object: 'checkout.session',
          amount_total: amount,
          currency: 'eur',
          payment_status: 'paid',
          payment_intent: `pi_${eventId}`,
          metadata: { relance_org_id: orgId },
        },
      },
    });
  const post = (provider: string, body: string, headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: `/webhooks/payments/${provider}`,
      payload: body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  beforeAll(async () => {
    await new Promise<void>((r) => stripe.server.listen(0, '127.0.0.1', r));
    const port = (stripe.server.address() as AddressInfo).port;
    t = await createTestDb(engine);
    app = await buildServer({
      handle: t,
      config: loadConfig({
        LOG_LEVEL: 'silent',
        STRIPE_SECRET_KEY: 'sk_test_relance',
        STRIPE_WEBHOOK_SECRET: WHSEC,
        STRIPE_API_URL: `http://127.0.0.1:${port}`,
        RELANCE_PAYMENT_TEST_SECRET: TEST_SECRET,
        PUBLIC_URL: 'https://relance.example.com',
      }),
      log: pino({ level: 'silent' }),
      now: () => NOW,
      webDir: false,
    });
    await app.ready();
    orgId = (await orgWithKey(t.db, 'Zeta Équipements SAS')).org.id;
    customers = await makeCustomers(t.db, orgId, 2);
    await t.db
      .insertInto('contacts')
      .values(
        customers.map((c, i) => ({
          org_id: orgId,
          customer_id: c.id,
          email: `pay${i}@client.example`,
          is_primary: true,
        })),
      )
      .execute();
    invoices = await makeInvoices(
      t.db,
      orgId,
      customers.map((c) => c.id),
      8,
    );
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
    await new Promise((r) => stripe.server.close(r));
  });

  it('opens a Stripe Checkout session for the chosen invoices, with the amount they owe', async () => {
    const c = customers[0] as (typeof customers)[number];
    const mine = invoices.filter((i) => i.customer_id === c.id).slice(0, 2);
    const token = await tokenFor(c.id);
    const r = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/checkout`,
      payload: { invoiceIds: mine.map((i) => i.id) },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as { redirectUrl: string; checkoutId: string };
    expect(body.redirectUrl).toBe('https://checkout.stripe.com/c/pay/cs_test_1');
    const sent = stripe.requests[0];
    expect(sent?.path).toBe('/v1/checkout/sessions');
    expect(sent?.headers.authorization).toBe('Bearer sk_test_relance');
    expect(sent?.headers['idempotency-key']).toBe(`relance-checkout-${body.checkoutId}`);
    const f = sent?.form as URLSearchParams;
    expect(f.get('mode')).toBe('payment');
    expect(f.get('line_items[0][quantity]')).toBe('1');
    expect(f.get('line_items[0][price_data][currency]')).toBe('eur');
    expect(Number(f.get('line_items[0][price_data][unit_amount]'))).toBe(
      mine.reduce((s, i) => s + i.balance_minor, 0),
    );
    expect(f.get('payment_method_types[0]')).toBe('card');
    expect(f.get('metadata[relance_org_id]')).toBe(orgId);
    expect(f.get('client_reference_id')).toBe(body.checkoutId);
    expect(f.get('customer_email')).toBe('pay0@client.example');
    expect(f.get('success_url')).toBe(`https://relance.example.com/portal/${token}?checkout=success`);

    const foreign = invoices.find((i) => i.customer_id !== c.id)?.id;
    const bad = await app.inject({
      method: 'POST',
      url: `/portal-api/${token}/checkout`,
      payload: { invoiceIds: [foreign] },
    });
    expect(bad.statusCode).toBe(422);
  });

  it('refuses a bad or stale signature with nothing recorded, records a confirmed payment once, and dunning stops at once', async () => {
    const c = customers[0] as (typeof customers)[number];
    const mine = invoices.filter((i) => i.customer_id === c.id).slice(0, 2);
    const amount = mine.reduce((s, i) => s + i.balance_minor, 0);
    const planned = async () => {
      const run = await planDunningRun(t.db, orgId, {
        now: NOW,
        dryRun: true,
        collectPlans: true,
        customerIds: [c.id],
      });
      const plan = run.plans.find((p) => p.plan.customerId === c.id)?.plan;
      return new Set(
        [...(plan?.actions ?? []), ...(plan?.postponed ?? []).map((p) => p.action)].flatMap((a) =>
          a.items.map((i) => i.invoiceId),
        ),
      );
    };
    const before = await planned();
    for (const i of mine) expect(before.has(i.id)).toBe(true);

    const body = stripeEvent('cs_test_1', amount, 'evt_paid_1');
    const forged = await post('stripe', body, {
      'stripe-signature': stripeSignatureHeader('whsec_wrong_secret_000', body, NOW),
    });
    expect(forged.statusCode).toBe(400);
    const tampered = await post('stripe', body.replace(String(amount), String(amount + 1)), {
      'stripe-signature': stripeSignatureHeader(WHSEC, body, NOW),
    });
    expect(tampered.statusCode).toBe(400);
    const stale = await post('stripe', body, {
      'stripe-signature': stripeSignatureHeader(WHSEC, body, new Date(NOW.getTime() - 10 * 60_000)),
    });
    expect(stale.statusCode).toBe(400);
    expect((await post('stripe', body, {})).statusCode).toBe(400);
    expect(await count('payment_provider_events')).toBe(0);
    expect(await count('payments')).toBe(0);

    const ok = await post('stripe', body, { 'stripe-signature': stripeSignatureHeader(WHSEC, body, NOW) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ received: true, outcome: 'recorded' });
    const again = await post('stripe', body, { 'stripe-signature': stripeSignatureHeader(WHSEC, body, NOW) });
    expect(again.json()).toMatchObject({ outcome: 'duplicate' });
    expect(await count('payments')).toBe(1);

    const pay = await t.db
      .selectFrom('payments')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(pay.method).toBe('card');
    expect(Number(pay.amount_minor)).toBe(amount);
    expect(Number(pay.unallocated_minor)).toBe(0);
    const after = await t.db
      .selectFrom('invoices')
      .select(['id', 'balance_minor', 'status'])
      .where(
        'id',
        'in',
        mine.map((i) => i.id),
      )
      .execute();
    expect(after.every((i) => Number(i.balance_minor) === 0 && i.status === 'paid')).toBe(true);
    const now = await planned();
    for (const i of mine) expect(now.has(i.id)).toBe(false);
    const checkout = await t.db
      .selectFrom('payment_checkouts')
      .select('status')
      .where('provider_session_id', '=', 'cs_test_1')
      .executeTakeFirstOrThrow();
    expect(checkout.status).toBe('paid');

    expect((await post('paypal', body, {})).statusCode).toBe(404);
  });

  it('records a SEPA direct debit only when it settles, through the test provider', async () => {
    const c = customers[1] as (typeof customers)[number];
    const mine = invoices.filter((i) => i.customer_id === c.id).slice(0, 1);
    const provider = testPaymentProvider(TEST_SECRET);
    const { checkoutId } = await createCheckout(
      t.db,
      await tokenFor(c.id),
      {},
      provider,
      { invoiceIds: mine.map((i) => i.id), methods: ['sepa_debit'] },
      { successUrl: 'https://x.example/ok', cancelUrl: 'https://x.example/ko' },
      NOW,
    );
    const req = provider.sessions[0];
    if (!req) throw new Error('no session opened');
    expect(req.methods).toEqual(['sepa_debit']);
    const sessionId = `cs_test_${checkoutId.replaceAll('-', '')}`;
    const pending = provider.signedEvent(
      { type: 'checkout.session.completed', sessionId, checkout: req, paid: false },
      NOW,
    );
    expect((await post('test', pending.body, pending.headers)).json()).toMatchObject({ outcome: 'ignored' });
    const before = await count('payments');
    const settled = provider.signedEvent(
      { type: 'checkout.session.async_payment_succeeded', sessionId, checkout: req },
      NOW,
    );
    // The Stripe endpoint does not accept the test provider's signature, and vice versa.
    expect((await post('stripe', settled.body, settled.headers)).statusCode).toBe(400);
    const r = await post('test', settled.body, settled.headers);
    expect(r.json()).toMatchObject({ outcome: 'recorded' });
    expect(await count('payments')).toBe(before + 1);
    const pay = await t.db
      .selectFrom('payments')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('customer_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(pay.method).toBe('direct_debit');
  });
});
