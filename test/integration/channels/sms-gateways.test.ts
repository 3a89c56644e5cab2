import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError, type OutboundMessage } from '../../../src/channels/channel.js';
import { BrevoSmsProvider } from '../../../src/channels/sms/brevo.js';
import { parseOptKeyword } from '../../../src/channels/sms/opt-out.js';
import type { DeliveryReceipt, SmsProvider, WebhookRequest } from '../../../src/channels/sms/provider.js';
import { SmsChannel } from '../../../src/channels/sms/sms-channel.js';
import { type SmsDouble, startSmsDouble } from '../../../src/channels/sms/test-double.js';
import { TwilioSmsProvider, twilioSignature } from '../../../src/channels/sms/twilio.js';

const twilioCreds = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'tw-auth-token-secret' };
const brevoCreds = { apiKey: 'xkeysib-test-key' };
const webhookSecret = 'brevo-webhook-secret-0123';

/** A webhook endpoint as the API route will run it: verify, then parse, else 403. */
async function startReceiver(providers: Record<string, SmsProvider>) {
  const accepted: DeliveryReceipt[] = [];
  const refused: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}${req.url ?? '/'}`;
      const name = new URL(url).pathname.split('/').pop() ?? '';
      const provider = providers[name];
      const hook: WebhookRequest = {
        url,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      };
      if (!provider?.verifyWebhook(hook)) {
        refused.push(name);
        res.writeHead(403).end();
        return;
      }
      accepted.push(...provider.parseWebhook(hook));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    accepted,
    refused,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function sms(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: 'sms',
    idempotencyKey: 'action-sms-1',
    sender: { orgId: 'org-1', name: 'Crèmes SA', smsSenderId: 'CremesSA' },
    recipient: { customerId: 'c-1', phone: '06 12 34 56 78' },
    content: {
      sms: 'Crèmes SA : facture F-2024-118 de 1 234,56 € échue le 15/10. Merci de régler dès réception.',
    },
    ...overrides,
  };
}

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ChannelError) return e;
    throw e;
  }
  throw new Error('expected a ChannelError');
}

describe('SMS through provider HTTP formats against the local gateway double', () => {
  let double: SmsDouble;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let twilio: TwilioSmsProvider;
  let brevo: BrevoSmsProvider;

  beforeAll(async () => {
    double = await startSmsDouble({ twilio: twilioCreds, brevo: brevoCreds });
    twilio = new TwilioSmsProvider({ ...twilioCreds, baseUrl: double.baseUrl });
    brevo = new BrevoSmsProvider({ ...brevoCreds, baseUrl: double.baseUrl, webhookSecret });
    receiver = await startReceiver({ twilio, brevo });
  });
  afterAll(async () => {
    await double.close();
    await receiver.close();
  });

  it('sends through Twilio as a form POST with Basic auth and a status callback', async () => {
    const channel = new SmsChannel({
      provider: twilio,
      statusCallbackUrl: `${receiver.base}/hooks/sms/twilio`,
    });
    const result = await channel.send(sms());
    expect(result.status).toBe('sent');
    expect(result.provider).toBe('twilio');
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const got = double.received.find((r) => r.providerMessageId === result.providerMessageId);
    expect(got?.to).toBe('+33612345678');
    expect(got?.from).toBe('CremesSA');
    expect(got?.text).toBe(sms().content.sms);
    expect(got?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(got?.callbackUrl).toBe(`${receiver.base}/hooks/sms/twilio`);
    expect(result.segments).toBe(1);
  });

  it('sends through Brevo as JSON with the api-key header and a signed webUrl', async () => {
    const channel = new SmsChannel({
      provider: brevo,
      statusCallbackUrl: `${receiver.base}/hooks/sms/brevo`,
    });
    const result = await channel.send(sms({ idempotencyKey: 'action-sms-2' }));
    expect(result.provider).toBe('brevo');
    const got = double.received.find((r) => r.providerMessageId === result.providerMessageId);
    const body = JSON.parse(got?.rawBody ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      sender: 'CremesSA',
      recipient: '33612345678',
      type: 'transactional',
      tag: 'action-sms-2',
      unicodeEnabled: false,
    });
    expect(got?.headers['api-key']).toBe(brevoCreds.apiKey);
    expect(String(body.webUrl)).toMatch(/\/hooks\/sms\/brevo\?ref=action-sms-2&sig=[0-9a-f]{64}$/);
  });

  it('marks a message that needs Unicode as such and counts its segments', async () => {
    const channel = new SmsChannel({ provider: brevo, preferGsm7: false });
    const text = `${'Votre reçu — '.repeat(6)}merci`; // ç and — force UCS-2, 83 units
    const result = await channel.send(sms({ idempotencyKey: 'u1', content: { sms: text } }));
    expect(result.segments).toBe(2);
    expect(double.received.at(-1)?.unicode).toBe(true);
  });

  it('turns delivery receipts from both providers into statuses, refusing forged ones', async () => {
    const tw = new SmsChannel({ provider: twilio, statusCallbackUrl: `${receiver.base}/hooks/sms/twilio` });
    const br = new SmsChannel({ provider: brevo, statusCallbackUrl: `${receiver.base}/hooks/sms/brevo` });
    const a = await tw.send(sms({ idempotencyKey: 'r1' }));
    const b = await br.send(sms({ idempotencyKey: 'r2' }));
    expect(await double.deliver(a.providerMessageId, 'sent')).toBe(204);
    expect(await double.deliver(a.providerMessageId, 'delivered')).toBe(204);
    expect(await double.deliver(b.providerMessageId, 'hard_bounce', { description: 'invalid number' })).toBe(
      204,
    );
    const forTw = receiver.accepted.filter((r) => r.providerMessageId === a.providerMessageId);
    expect(forTw.map((r) => r.status)).toEqual(['sent', 'delivered']);
    expect(forTw.map((r) => r.eventKey)).toEqual([
      `${a.providerMessageId}:sent`,
      `${a.providerMessageId}:delivered`,
    ]);
    const forBr = receiver.accepted.filter((r) => r.providerMessageId === b.providerMessageId);
    expect(forBr).toHaveLength(1);
    expect(forBr[0]).toMatchObject({
      status: 'bounced',
      invalidAddress: true,
      providerStatus: 'hard_bounce',
    });

    // A forged Twilio receipt (wrong signature) and a Brevo receipt without its signed URL.
    const forged = await fetch(`${receiver.base}/hooks/sms/twilio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'AAAA' },
      body: `MessageSid=${a.providerMessageId}&MessageStatus=failed`,
    });
    expect(forged.status).toBe(403);
    const unsigned = await fetch(`${receiver.base}/hooks/sms/brevo?ref=r2&sig=${'0'.repeat(64)}`, {
      method: 'POST',
      body: JSON.stringify({ messageId: Number(b.providerMessageId), msg_status: 'delivered' }),
    });
    expect(unsigned.status).toBe(403);
    expect(
      receiver.accepted.some((r) => r.providerMessageId === a.providerMessageId && r.status === 'failed'),
    ).toBe(false);
  });

  it('flags an invalid number refused by Twilio (21211) without retrying', async () => {
    double.failFor('+33699999999', { status: 400, code: 21211, message: "The 'To' number is not valid." });
    const err = await failure(
      new SmsChannel({ provider: twilio }).send(
        sms({ recipient: { customerId: 'c', phone: '+33699999999' } }),
      ),
    );
    expect(err).toMatchObject({ retryable: false, invalidAddress: true, providerCode: '21211' });
  });

  it('retries when the gateway is overloaded or down', async () => {
    double.failFor('+33688888888', { status: 503, message: 'Service Unavailable' });
    const err = await failure(
      new SmsChannel({ provider: brevo }).send(
        sms({ recipient: { customerId: 'c', phone: '+33688888888' } }),
      ),
    );
    expect(err.retryable).toBe(true);
    const down = new TwilioSmsProvider({ ...twilioCreds, baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    expect((await failure(new SmsChannel({ provider: down }).send(sms()))).retryable).toBe(true);
  });

  it('refuses wrong credentials as a permanent configuration error', async () => {
    const bad = new BrevoSmsProvider({ apiKey: 'nope', baseUrl: double.baseUrl, webhookSecret });
    const err = await failure(new SmsChannel({ provider: bad }).send(sms()));
    expect(err).toMatchObject({ retryable: false, invalidAddress: false, providerCode: 'unauthorized' });
  });

  it('does not call the gateway for an opted-out number, a bad sender id or an overlong text', async () => {
    const before = double.received.length;
    const optedOut = new SmsChannel({
      provider: twilio,
      isOptedOut: async (_org, phone) => phone === '+33612345678',
    });
    expect(await failure(optedOut.send(sms()))).toMatchObject({ optedOut: true, retryable: false });
    const channel = new SmsChannel({ provider: twilio, maxSegments: 2 });
    const badSender = sms({ sender: { orgId: 'o', name: 'x', smsSenderId: 'CremesGlacees' } });
    expect((await failure(channel.send(badSender))).message).toMatch(/longer than 11/);
    expect((await failure(channel.send(sms({ content: { sms: 'a'.repeat(307) } })))).message).toMatch(
      /3 segments/,
    );
    expect(await failure(channel.send(sms({ recipient: { customerId: 'c', phone: '12' } })))).toMatchObject({
      invalidAddress: true,
    });
    expect(double.received.length).toBe(before);
  });
});

describe('inbound SMS from Twilio', () => {
  const provider = new TwilioSmsProvider({ ...twilioCreds, baseUrl: 'http://127.0.0.1:9' });
  const url = 'https://relance.example/hooks/sms/org-1/twilio/inbound';
  const sign = (params: Record<string, string>) => ({
    url,
    headers: { 'X-Twilio-Signature': twilioSignature(twilioCreds.authToken, url, params) },
    rawBody: new URLSearchParams(params).toString(),
  });

  it('reads a signed STOP answer as an opt-out', () => {
    const req = sign({ MessageSid: 'SMin1', From: '+33612345678', To: '+33700000000', Body: 'Stop' });
    expect(provider.verifyWebhook(req)).toBe(true);
    const inbound = provider.parseInbound(req);
    expect(inbound).toEqual({
      provider: 'twilio',
      providerMessageId: 'SMin1',
      from: '+33612345678',
      to: '+33700000000',
      text: 'Stop',
    });
    expect(parseOptKeyword(inbound?.text ?? '')).toBe('stop');
  });

  it('rejects an inbound message whose body was changed after signing', () => {
    const req = sign({
      MessageSid: 'SMin2',
      From: '+33612345678',
      To: '+33700000000',
      Body: 'Je paie demain',
    });
    const tampered = { ...req, rawBody: req.rawBody.replace('demain', 'STOP') };
    expect(provider.verifyWebhook(tampered)).toBe(false);
  });

  it('does not mistake a status callback for an inbound message', () => {
    expect(
      provider.parseInbound(sign({ MessageSid: 'SM1', From: '+1', MessageStatus: 'delivered', Body: '' })),
    ).toBeNull();
  });
});
