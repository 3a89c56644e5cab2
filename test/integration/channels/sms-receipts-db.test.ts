import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SmsChannel } from '../../../src/channels/sms/sms-channel.js';
import { type SmsDouble, startSmsDouble } from '../../../src/channels/sms/test-double.js';
import { TwilioSmsProvider } from '../../../src/channels/sms/twilio.js';
import { withOrg } from '../../../src/db/connection.js';
import {
  createDelivery,
  findDelivery,
  isPhoneOptedOut,
  recordDeliveryEvents,
  recordSendResult,
} from '../../../src/db/queries/deliveries.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';

const creds = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'tw-auth-token-secret' };

describeEngines('SMS receipts update the delivery in the database', (engine) => {
  let t: TestDb;
  let double: SmsDouble;
  let orgId: string;
  let customerId: string;
  let hookBase: string;
  let closeHook: () => Promise<void>;
  let provider: TwilioSmsProvider;

  beforeAll(async () => {
    t = await createTestDb(engine);
    orgId = (await createOrganisation(t.db, { name: 'Crèmes Dupont' })).id;
    customerId = (
      await t.db
        .insertInto('customers')
        .values({ org_id: orgId, external_ref: 'C1', name: 'Hélène Dupré', kind: 'b2c' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
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
    await t.drop();
  });

  it('goes queued → sent → delivered, and a replayed receipt changes nothing', async () => {
    const channel = new SmsChannel({ provider, statusCallbackUrl: `${hookBase}/hooks/sms/${orgId}/twilio` });
    const { delivery } = await withOrg(t.db, orgId, (db) =>
      createDelivery(db, orgId, {
        customerId,
        channel: 'sms',
        provider: 'twilio',
        idempotencyKey: 'act-1:sms',
        toAddress: '+33612345678',
      }),
    );
    const result = await channel.send({
      channel: 'sms',
      idempotencyKey: 'act-1:sms',
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
        idempotencyKey: 'act-2:sms',
        toAddress: '+33698765432',
      }),
    );
    const channel = new SmsChannel({ provider, statusCallbackUrl: `${hookBase}/hooks/sms/${orgId}/twilio` });
    const result = await channel.send({
      channel: 'sms',
      idempotencyKey: 'act-2:sms',
      sender: { orgId, name: 'Crèmes Dupont', smsSenderId: 'CremesDpt' },
      recipient: { customerId, phone: '+33698765432' },
      content: { sms: 'Relance facture F-119.' },
    });
    await withOrg(t.db, orgId, (db) => recordSendResult(db, orgId, delivery.id, result));
    expect(await double.deliver(result.providerMessageId, 'failed', { ErrorCode: '21610' })).toBe(204);
    expect((await withOrg(t.db, orgId, (db) => findDelivery(db, orgId, delivery.id)))?.status).toBe('failed');
    expect(await withOrg(t.db, orgId, (db) => isPhoneOptedOut(db, orgId, '+33698765432'))).toBe(true);
  });
});
