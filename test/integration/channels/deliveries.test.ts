import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryReceipt } from '../../../src/channels/sms/provider.js';
import { SmsChannel } from '../../../src/channels/sms/sms-channel.js';
import { type SmsDouble, startSmsDouble } from '../../../src/channels/sms/test-double.js';
import { TwilioSmsProvider } from '../../../src/channels/sms/twilio.js';
import { withOrg } from '../../../src/db/connection.js';
import {
  channelHealth,
  createDelivery,
  findDelivery,
  isPhoneOptedOut,
  listDeliveryEvents,
  markLetterPosted,
  recordDeliveryEvents,
  recordInboundReply,
  recordLetterReceipt,
  recordOptKeyword,
  recordSendFailure,
  recordSendResult,
} from '../../../src/db/queries/deliveries.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const creds = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'tw-auth-token-secret' };

function receipt(
  id: string,
  status: DeliveryReceipt['status'],
  providerStatus: string,
  extra: Partial<DeliveryReceipt> = {},
): DeliveryReceipt {
  return {
    provider: 'twilio',
    providerMessageId: id,
    status,
    providerStatus,
    eventKey: `${id}:${providerStatus}`,
    ...extra,
  };
}

describeEngines('delivery tracking', (engine) => {
  let t: TestDb;
  let orgId: string;
  let otherOrgId: string;
  let customerId: string;
  let contactId: string;

  beforeAll(async () => {
    t = await createTestDb(engine);
    const org = await createOrganisation(t.db, { name: 'Crèmes Dupont' });
    const other = await createOrganisation(t.db, { name: 'Autre SAS' });
    orgId = org.id;
    otherOrgId = other.id;
    const c = await t.db
      .insertInto('customers')
      .values({ org_id: orgId, external_ref: 'C1', name: 'Bœuf & Cie' })
      .returning('id')
      .executeTakeFirstOrThrow();
    customerId = c.id;
    const ct = await t.db
      .insertInto('contacts')
      .values({
        org_id: orgId,
        customer_id: customerId,
        email: 'helene@client.example',
        phone: '+33612345678',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    contactId = ct.id;
  });
  afterAll(async () => t.drop());

  const inOrg = <T>(fn: Parameters<typeof withOrg<T>>[2]) => withOrg(t.db, orgId, fn);

  it('creates one delivery per idempotency key and hands back the existing one on a repeat', async () => {
    const input = {
      customerId,
      channel: 'email' as const,
      provider: 'smtp',
      idempotencyKey: 'act-1:email',
      toAddress: 'helene@client.example',
    };
    const first = await inOrg((db) => createDelivery(db, orgId, input));
    const again = await inOrg((db) => createDelivery(db, orgId, input));
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.delivery.id).toBe(first.delivery.id);
    expect(first.delivery.status).toBe('queued');
  });

  it('moves status forward only, stores each webhook event once and ignores unknown messages', async () => {
    const { delivery } = await inOrg((db) =>
      createDelivery(db, orgId, {
        customerId,
        channel: 'sms',
        provider: 'twilio',
        idempotencyKey: 'act-2:sms',
        toAddress: '+33612345678',
      }),
    );
    await inOrg((db) =>
      recordSendResult(db, orgId, delivery.id, {
        status: 'sent',
        provider: 'twilio',
        providerMessageId: 'SM1',
        acceptedAt: new Date('2026-11-25T09:00:00Z'),
        segments: 1,
      }),
    );
    const first = await inOrg((db) =>
      recordDeliveryEvents(db, orgId, [
        receipt('SM1', 'delivered', 'delivered', { occurredAt: new Date('2026-11-25T09:00:05Z') }),
        receipt('SM1', 'delivered', 'delivered', { occurredAt: new Date('2026-11-25T09:00:05Z') }),
        receipt('SM-unknown', 'delivered', 'delivered'),
      ]),
    );
    expect(first).toMatchObject({ received: 3, matched: 2, inserted: 1, updated: 1 });
    expect(first.events).toMatchObject([
      { deliveryId: delivery.id, customerId, channel: 'sms', status: 'delivered', moved: true },
    ]);
    // A late 'sent' arriving after 'delivered', then the same 'delivered' again.
    const late = await inOrg((db) =>
      recordDeliveryEvents(db, orgId, [
        receipt('SM1', 'queued', 'sending'),
        receipt('SM1', 'delivered', 'delivered'),
      ]),
    );
    expect(late).toMatchObject({ received: 2, matched: 2, inserted: 1, updated: 0 });
    expect(late.events).toMatchObject([{ status: 'queued', providerStatus: 'sending', moved: false }]);
    const row = await inOrg((db) => findDelivery(db, orgId, delivery.id));
    expect(row?.status).toBe('delivered');
    expect(row?.segments).toBe(1);
    expect(row?.attempts).toBe(1);
    const events = await inOrg((db) => listDeliveryEvents(db, orgId, delivery.id));
    expect(events.map((e) => e.status).sort()).toEqual(['delivered', 'queued', 'sent']);
  });

  it('keeps a retryable failure queued and fails a permanent one, flagging the email address', async () => {
    const { delivery } = await inOrg((db) =>
      createDelivery(db, orgId, {
        customerId,
        contactId,
        channel: 'email',
        provider: 'smtp',
        idempotencyKey: 'act-3:email',
        toAddress: 'helene@client.example',
      }),
    );
    const retry = await inOrg((db) =>
      recordSendFailure(db, orgId, delivery.id, {
        message: 'SMTP server deferred the message (451)',
        retryable: true,
        invalidAddress: false,
      }),
    );
    expect(retry).toMatchObject({ status: 'queued', attempts: 1, retryable: true });
    let contact = await t.db
      .selectFrom('contacts')
      .select('email_invalid')
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    expect(contact.email_invalid).toBe(false);
    const perm = await inOrg((db) =>
      recordSendFailure(db, orgId, delivery.id, {
        message: 'SMTP server refused the message (550)',
        retryable: false,
        invalidAddress: true,
      }),
    );
    expect(perm).toMatchObject({ status: 'failed', attempts: 2, retryable: false });
    contact = await t.db
      .selectFrom('contacts')
      .select('email_invalid')
      .where('id', '=', contactId)
      .executeTakeFirstOrThrow();
    expect(contact.email_invalid).toBe(true);
  });

  it('moves a sent email to bounced on a later hard bounce and flags its contact', async () => {
    const ct = await t.db
      .insertInto('contacts')
      .values({ org_id: orgId, customer_id: customerId, email: 'parti@client.example' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { delivery } = await inOrg((db) =>
      createDelivery(db, orgId, {
        customerId,
        contactId: ct.id,
        channel: 'email',
        provider: 'smtp',
        idempotencyKey: 'act-5:email',
        toAddress: 'parti@client.example',
      }),
    );
    await inOrg((db) =>
      recordSendResult(db, orgId, delivery.id, {
        status: 'sent',
        provider: 'smtp',
        providerMessageId: '<rl.abc@reply.example>',
        acceptedAt: new Date(),
      }),
    );
    const bounce: DeliveryReceipt = {
      provider: 'smtp',
      providerMessageId: '<rl.abc@reply.example>',
      status: 'bounced',
      providerStatus: 'dsn:5.1.1',
      errorCode: '5.1.1',
      eventKey: '<rl.abc@reply.example>:dsn:5.1.1',
      invalidAddress: true,
    };
    expect(await inOrg((db) => recordDeliveryEvents(db, orgId, [bounce]))).toMatchObject({
      inserted: 1,
      updated: 1,
    });
    expect((await inOrg((db) => findDelivery(db, orgId, delivery.id)))?.status).toBe('bounced');
    const contact = await t.db
      .selectFrom('contacts')
      .select('email_invalid')
      .where('id', '=', ct.id)
      .executeTakeFirstOrThrow();
    expect(contact.email_invalid).toBe(true);
  });

  it('records a letter queued for print, then posted with its tracking number, then received', async () => {
    const { delivery } = await inOrg((db) =>
      createDelivery(db, orgId, {
        customerId,
        channel: 'letter',
        provider: 'print',
        idempotencyKey: 'act-4:letter',
        toAddress: 'Bœuf & Cie, 3 avenue des Cœurs, 69003 LYON',
      }),
    );
    await inOrg((db) =>
      recordSendResult(
        db,
        orgId,
        delivery.id,
        {
          status: 'queued_for_print',
          provider: 'print',
          providerMessageId: `print:${'a'.repeat(64)}`,
          acceptedAt: new Date(),
        },
        { sha256: 'a'.repeat(64) },
      ),
    );
    await expect(inOrg((db) => recordLetterReceipt(db, orgId, delivery.id, '2026-11-28'))).rejects.toThrow(
      /not a posted letter/,
    );
    const posted = await inOrg((db) =>
      markLetterPosted(db, orgId, delivery.id, { postedOn: '2026-11-25', trackingNumber: '1A01234567890' }),
    );
    expect(posted).toMatchObject({
      status: 'posted',
      tracking_number: '1A01234567890',
      posted_on: '2026-11-25',
      document_sha256: 'a'.repeat(64),
    });
    const received = await inOrg((db) => recordLetterReceipt(db, orgId, delivery.id, '2026-11-27'));
    expect(received).toMatchObject({ status: 'delivered', received_on: '2026-11-27' });
    const events = await inOrg((db) => listDeliveryEvents(db, orgId, delivery.id));
    expect(events.map((e) => e.status)).toEqual(['queued_for_print', 'posted', 'delivered']);
  });

  it('follows the latest STOP/START keyword per number whatever the arrival order', async () => {
    const phone = '+33699887766';
    await inOrg((db) =>
      recordOptKeyword(db, orgId, phone, 'stop', new Date('2026-11-20T10:00:00Z'), 'inbound-sms'),
    );
    expect(await inOrg((db) => isPhoneOptedOut(db, orgId, phone))).toBe(true);
    await inOrg((db) =>
      recordOptKeyword(db, orgId, phone, 'start', new Date('2026-11-10T10:00:00Z'), 'inbound-sms'),
    );
    expect(await inOrg((db) => isPhoneOptedOut(db, orgId, phone))).toBe(true);
    await inOrg((db) =>
      recordOptKeyword(db, orgId, phone, 'start', new Date('2026-11-21T10:00:00Z'), 'inbound-sms'),
    );
    expect(await inOrg((db) => isPhoneOptedOut(db, orgId, phone))).toBe(false);
    expect(await withOrg(t.db, otherOrgId, (db) => isPhoneOptedOut(db, otherOrgId, phone))).toBe(false);
  });

  it('stores an inbound reply once', async () => {
    const reply = {
      channel: 'email' as const,
      externalId: '<CAF=reply1@mail.example>',
      customerId,
      fromAddress: 'helene@client.example',
      subject: 'Re: Relance',
      bodyText: 'Je paie vendredi.',
      tokenSource: 'address',
      receivedAt: new Date(),
    };
    expect(await inOrg((db) => recordInboundReply(db, orgId, reply))).toBe(true);
    expect(await inOrg((db) => recordInboundReply(db, orgId, reply))).toBe(false);
  });

  it('reports per-channel health with the bounce rate, and nothing to another organisation', async () => {
    const mk = async (key: string, channel: 'email' | 'sms', pmid: string | null) => {
      const { delivery } = await inOrg((db) =>
        createDelivery(db, orgId, {
          customerId,
          channel,
          provider: 'twilio',
          idempotencyKey: key,
          toAddress: 'x',
        }),
      );
      if (pmid)
        await inOrg((db) =>
          recordSendResult(db, orgId, delivery.id, {
            status: 'sent',
            provider: 'twilio',
            providerMessageId: pmid,
            acceptedAt: new Date(),
          }),
        );
      return delivery;
    };
    await mk('h1', 'sms', 'SMH1');
    await mk('h2', 'sms', 'SMH2');
    await mk('h3', 'sms', 'SMH3');
    await mk('h4', 'sms', null);
    await inOrg((db) =>
      recordDeliveryEvents(db, orgId, [
        receipt('SMH1', 'bounced', 'undelivered', { errorCode: '30005', invalidAddress: true }),
        receipt('SMH2', 'delivered', 'delivered'),
      ]),
    );
    const health = await inOrg((db) => channelHealth(db, orgId, new Date(Date.now() - 3600_000)));
    const sms = health.find((h) => h.channel === 'sms');
    // act-2 (delivered) + h1 (bounced) + h2 (delivered) + h3 (sent) + h4 (queued)
    expect(sms).toEqual({
      channel: 'sms',
      total: 5,
      pending: 1,
      accepted: 4,
      delivered: 2,
      bounced: 1,
      failed: 0,
      bounceRate: 0.25,
    });
    const email = health.find((h) => h.channel === 'email');
    expect(email).toMatchObject({ total: 3, failed: 1, pending: 1, bounced: 1, bounceRate: 0.5 });
    expect(await withOrg(t.db, otherOrgId, (db) => channelHealth(db, otherOrgId, new Date(0)))).toEqual([]);
    // Row-level security: even asking for orgId's rows from the other org's scope yields nothing.
    expect(await withOrg(t.db, otherOrgId, (db) => channelHealth(db, orgId, new Date(0)))).toEqual([]);
  });

  describe('SMS receipts from the gateway double', () => {
    let double: SmsDouble;
    let hookBase: string;
    let closeHook: () => Promise<void>;
    let provider: TwilioSmsProvider;

    beforeAll(async () => {
      double = await startSmsDouble({ twilio: creds });
      provider = new TwilioSmsProvider({ ...creds, baseUrl: double.baseUrl });
      // The webhook route as it will run: org from the path, verify, parse, record in withOrg.
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const url = `${hookBase}${req.url ?? ''}`;
          const hookOrg = new URL(url).pathname.split('/')[3] ?? '';
          const hook = { url, headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') };
          if (!provider.verifyWebhook(hook)) {
            res.writeHead(403).end();
            return;
          }
          withOrg(t.db, hookOrg, (db) => recordDeliveryEvents(db, hookOrg, provider.parseWebhook(hook)))
            .then(() => res.writeHead(204).end())
            .catch(() => res.writeHead(500).end());
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      hookBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      closeHook = () => new Promise<void>((r) => server.close(() => r()));
    });
    afterAll(async () => {
      await double.close();
      await closeHook();
    });

    it('goes queued → sent → delivered, and a replayed receipt changes nothing', async () => {
      const channel = new SmsChannel({
        provider,
        statusCallbackUrl: `${hookBase}/hooks/sms/${orgId}/twilio`,
      });
      const { delivery } = await withOrg(t.db, orgId, (db) =>
        createDelivery(db, orgId, {
          customerId,
          channel: 'sms',
          provider: 'twilio',
          idempotencyKey: 'rcpt-1:sms',
          toAddress: '+33612345678',
        }),
      );
      const result = await channel.send({
        channel: 'sms',
        idempotencyKey: 'rcpt-1:sms',
        sender: { orgId, name: 'Crèmes Dupont', smsSenderId: 'CremesDpt' },
        recipient: { customerId, phone: '+33612345678' },
        content: { sms: 'Crèmes Dupont : facture F-118 de 1 234,56 € échue. Merci de régler.' },
      });
      await withOrg(t.db, orgId, (db) => recordSendResult(db, orgId, delivery.id, result));
      expect((await withOrg(t.db, orgId, (db) => findDelivery(db, orgId, delivery.id)))?.status).toBe('sent');

      expect(await double.deliver(result.providerMessageId, 'delivered')).toBe(204);
      expect(await double.deliver(result.providerMessageId, 'delivered')).toBe(204);
      expect(await double.deliver(result.providerMessageId, 'sent')).toBe(204);
      const row = await withOrg(t.db, orgId, (db) => findDelivery(db, orgId, delivery.id));
      expect(row?.status).toBe('delivered');
      const events = await t.db
        .selectFrom('delivery_events')
        .select(['event_key'])
        .where('delivery_id', '=', delivery.id)
        .execute();
      expect(events.map((e) => e.event_key).sort()).toEqual(
        [
          `send:${result.providerMessageId}`,
          `${result.providerMessageId}:delivered`,
          `${result.providerMessageId}:sent`,
        ].sort(),
      );
    });

    it('records a Twilio opt-out error (21610) on the number', async () => {
      const { delivery } = await withOrg(t.db, orgId, (db) =>
        createDelivery(db, orgId, {
          customerId,
          channel: 'sms',
          provider: 'twilio',
          idempotencyKey: 'rcpt-2:sms',
          toAddress: '+33698765432',
        }),
      );
      const channel = new SmsChannel({
        provider,
        statusCallbackUrl: `${hookBase}/hooks/sms/${orgId}/twilio`,
      });
      const result = await channel.send({
        channel: 'sms',
        idempotencyKey: 'rcpt-2:sms',
        sender: { orgId, name: 'Crèmes Dupont', smsSenderId: 'CremesDpt' },
        recipient: { customerId, phone: '+33698765432' },
        content: { sms: 'Relance facture F-119.' },
      });
      await withOrg(t.db, orgId, (db) => recordSendResult(db, orgId, delivery.id, result));
      expect(await double.deliver(result.providerMessageId, 'failed', { ErrorCode: '21610' })).toBe(204);
      expect((await withOrg(t.db, orgId, (db) => findDelivery(db, orgId, delivery.id)))?.status).toBe(
        'failed',
      );
      expect(await withOrg(t.db, orgId, (db) => isPhoneOptedOut(db, orgId, '+33698765432'))).toBe(true);
    });
  });
});
