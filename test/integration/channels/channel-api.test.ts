import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { type SmsDouble, startSmsDouble } from '../../../src/channels/sms/test-double.js';
import { twilioSignature } from '../../../src/channels/sms/twilio.js';
import { loadConfig } from '../../../src/config.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { createApiKey } from '../../../src/services/api-keys/create-api-key.js';
import { emailWebhookSecret, signBody } from '../../../src/services/channels/webhook-secrets.js';
import { channelSetFromConfig } from '../../../src/services/dunning/channel-set.js';
import { runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createOrganisation } from '../../../src/services/organisations/create-organisation.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { seedStepsSentForOverdue } from '../../helpers/dunning-history.js';
import { readPdf } from '../../unit/channels/pdf-text.js';
import { type SmtpFixture, startSmtpFixture } from './smtp-fixture.js';

const twilio = { accountSid: `AC${'0'.repeat(31)}7`, authToken: 'twilio-auth-token-for-tests' };
const SECRET = 'relance-test-secret-0123456789';

describeEngines('channel webhooks, inbound replies, health and the print queue over HTTP', (engine) => {
  let t: TestDb;
  let smtp: SmtpFixture;
  let sms: SmsDouble;
  let app: FastifyInstance;
  let base: string;
  let orgId: string;
  let token: string;
  let smsCustomer: string;
  let letterCustomer: string;

  const api = (method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  const timeline = async (customerId: string) =>
    (
      (await (await api('GET', `/customers/${customerId}/timeline`)).json()) as {
        intact: boolean;
        entries: {
          kind: string;
          channel: string | null;
          summary: string;
          payload: Record<string, unknown>;
        }[];
      }
    ).entries;
  const deliveries = (channel: string) =>
    t.db
      .selectFrom('message_deliveries')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('channel', '=', channel as 'email')
      .orderBy('created_at')
      .execute();
  const eventCount = async () =>
    Number(
      (
        await t.db
          .selectFrom('delivery_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await createTestDb(engine);
    smtp = await startSmtpFixture();
    sms = await startSmsDouble({ twilio });
    const org = await createOrganisation(t.db, { name: 'Canaux Relances SAS' });
    orgId = org.id;
    await t.db
      .updateTable('organisations')
      .set({
        email: 'relances@canaux.example',
        address_line1: '3 rue du Port',
        postal_code: '44000',
        city: 'Nantes',
        settings: JSON.stringify({
          smsSenderId: 'CANAUX',
          replyDomain: 'reply.canaux.example',
          channels: {
            smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
            sms: { provider: 'twilio', ...twilio, baseUrl: sms.baseUrl },
          },
        }),
      })
      .where('id', '=', orgId)
      .execute();
    const mk = async (ref: string, name: string, email: string, phone: string) => {
      const c = await t.db
        .insertInto('customers')
        .values({
          org_id: orgId,
          external_ref: ref,
          name,
          address_line1: '8 avenue Foch',
          postal_code: '69006',
          city: 'Lyon',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.db
        .insertInto('contacts')
        .values({ org_id: orgId, customer_id: c.id, email, phone, consent_sms: true, is_primary: true })
        .execute();
      return c.id;
    };
    smsCustomer = await mk('C-SMS', 'Garage Lefèvre', 'compta@lefevre.example', '06 11 22 33 44');
    letterCustomer = await mk('C-LRAR', 'Menuiserie Roux', 'roux@menuiserie.example', '06 55 66 77 88');
    // On 2026-11-19: FS-1 is 16 days late (second reminder: email + SMS), FL-1 is 31 days
    // late (formal notice: registered letter + email).
    await t.db
      .insertInto('invoices')
      .values([
        {
          org_id: orgId,
          customer_id: smsCustomer,
          invoice_number: 'FS-1',
          issue_date: '2026-10-01',
          due_date: '2026-11-03',
          currency: 'EUR',
          gross_minor: 45_600,
        },
        {
          org_id: orgId,
          customer_id: letterCustomer,
          invoice_number: 'FL-1',
          issue_date: '2026-09-15',
          due_date: '2026-10-19',
          currency: 'EUR',
          gross_minor: 120_000,
        },
      ])
      .execute();
    await refreshBalances(t.db, orgId, { all: true });
    // The reminders each step presupposes were sent (decision 021).
    await seedStepsSentForOverdue(t.db, orgId, '2026-10-19', [
      ['first_reminder', '2026-10-26T08:00:00Z'],
      ['second_reminder', '2026-11-03T08:00:00Z'],
    ]);
    await seedStepsSentForOverdue(
      t.db,
      orgId,
      '2026-11-03',
      [['first_reminder', '2026-11-10T08:00:00Z']],
      '2026-10-19',
    );
    token = (await createApiKey(t.db, orgId, { name: 'tests', role: 'collector' })).token;

    const config = loadConfig({ LOG_LEVEL: 'silent', RELANCE_SECRET: SECRET });
    app = await buildServer({ handle: t, config, log: pino({ level: 'silent' }), webDir: false });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    config.PUBLIC_URL = base;

    const log = pino({ level: 'silent' });
    const at = await runInstant(t.db, orgId, '2026-11-19');
    const { delivery } = await runDunning(t.db, orgId, {
      at,
      dryRun: false,
      delivery: {
        channels: channelSetFromConfig({ PUBLIC_URL: base }, log),
        workerId: 'channel-api-test',
        log,
        secret: SECRET,
      },
    });
    expect(delivery).toMatchObject({ failed: 0, retried: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await sms?.close();
    await smtp?.close();
    await t?.drop();
  });

  it('tracks every accepted dunning send as a delivery', async () => {
    const email = await deliveries('email');
    expect(email.map((d) => d.to_address).sort()).toEqual([
      'compta@lefevre.example',
      'roux@menuiserie.example',
    ]);
    expect(email.every((d) => d.status === 'sent' && d.provider === 'smtp' && d.action_id)).toBe(true);
    const [text] = await deliveries('sms');
    expect(text).toMatchObject({ status: 'sent', provider: 'twilio', to_address: '+33611223344' });
    expect(text?.provider_message_id).toBe(sms.received[0]?.providerMessageId);
    const [letter] = await deliveries('letter');
    expect(letter).toMatchObject({
      status: 'queued_for_print',
      provider: 'print',
      customer_id: letterCustomer,
    });
    expect(letter?.document_id).toBeTruthy();
    expect(letter?.to_address).toContain('Menuiserie Roux');
  });

  it('moves an SMS to delivered on a signed Twilio receipt, once, and puts it on the timeline', async () => {
    const sid = sms.received[0]?.providerMessageId ?? '';
    expect(sms.received[0]?.callbackUrl).toBe(`${base}/hooks/sms/${orgId}/twilio`);
    const before = await eventCount();
    // An intermediate carrier state is stored but kept off the debtor's timeline.
    expect(await sms.deliver(sid, 'sent')).toBe(204);
    expect((await timeline(smsCustomer)).filter((e) => e.kind === 'delivery_status')).toHaveLength(0);
    expect(await sms.deliver(sid, 'delivered')).toBe(204);
    expect(await sms.deliver(sid, 'delivered')).toBe(204);
    expect(await eventCount()).toBe(before + 2);
    const [text] = await deliveries('sms');
    expect(text?.status).toBe('delivered');
    const entries = (await timeline(smsCustomer)).filter((e) => e.kind === 'delivery_status');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ channel: 'sms', summary: 'SMS delivered' });
    expect(entries[0]?.payload).toMatchObject({ deliveryId: text?.id, providerStatus: 'delivered' });
  });

  it('refuses a receipt with a bad signature or for another organisation and records nothing', async () => {
    const sid = sms.received[0]?.providerMessageId ?? '';
    const url = `${base}/hooks/sms/${orgId}/twilio`;
    const params = { MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30005' };
    const before = await eventCount();
    const forged = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature('not-the-token', url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(forged.status).toBe(401);
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(401);
    const other = await createOrganisation(t.db, { name: 'Autre SARL' });
    const otherUrl = `${base}/hooks/sms/${other.id}/twilio`;
    const elsewhere = await fetch(otherUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(twilio.authToken, otherUrl, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(elsewhere.status).toBe(401);
    expect(await eventCount()).toBe(before);
    expect((await deliveries('sms'))[0]?.status).toBe('delivered');
  });

  it('opts a number out on an inbound STOP and files any other SMS as a reply task', async () => {
    const url = `${base}/hooks/sms/${orgId}/twilio`;
    const inbound = async (sid: string, body: string) => {
      const params = {
        MessageSid: sid,
        SmsStatus: 'received',
        From: '+33611223344',
        To: '+33700000000',
        Body: body,
      };
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(twilio.authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
      });
    };
    const stop = await inbound('SMin0001', 'STOP');
    expect(stop.status).toBe(200);
    expect(await stop.text()).toContain('<Response>');
    const opt = await t.db
      .selectFrom('sms_opt_outs')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('phone', '=', '+33611223344')
      .executeTakeFirst();
    expect(opt?.opted_out).toBe(true);
    // The contact stored as "06 11 22 33 44" loses its SMS consent: the planner stops texting it.
    const contact = await t.db
      .selectFrom('contacts')
      .select('consent_sms')
      .where('org_id', '=', orgId)
      .where('customer_id', '=', smsCustomer)
      .executeTakeFirstOrThrow();
    expect(contact.consent_sms).toBe(false);
    expect((await inbound('SMin0002', 'Je paie vendredi, désolé du retard')).status).toBe(200);
    expect((await inbound('SMin0002', 'Je paie vendredi, désolé du retard')).status).toBe(200);
    const tasks = await t.db
      .selectFrom('tasks')
      .select(['kind', 'title'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', smsCustomer)
      .where('kind', '=', 'reply')
      .execute();
    expect(tasks).toEqual([{ kind: 'reply', title: 'SMS reply: Je paie vendredi, désolé du retard' }]);
    const entries = await timeline(smsCustomer);
    expect(entries.filter((e) => e.summary.startsWith('SMS opt-out (STOP)'))).toHaveLength(1);
    expect(entries.filter((e) => e.kind === 'reply_received')).toHaveLength(1);
  });

  it('records a signed email bounce: bounced, address flagged, bounce task; a bad signature changes nothing', async () => {
    const [email] = (await deliveries('email')).filter((d) => d.customer_id === smsCustomer);
    const body = JSON.stringify({
      events: [
        {
          id: 'evt-1',
          messageId: email?.provider_message_id,
          type: 'bounce',
          bounceType: 'hard',
          status: '5.1.1',
        },
      ],
    });
    const url = `${base}/hooks/email/${orgId}`;
    const bad = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-relance-signature': signBody('wrong-secret-wrong-secret', body),
      },
      body,
    });
    expect(bad.status).toBe(401);
    expect((await deliveries('email')).find((d) => d.id === email?.id)?.status).toBe('sent');
    const secret = emailWebhookSecret({}, orgId, SECRET) ?? '';
    for (let i = 0; i < 2; i++) {
      const ok = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-relance-signature': signBody(secret, body) },
        body,
      });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ received: 1, inserted: i === 0 ? 1 : 0 });
    }
    expect((await deliveries('email')).find((d) => d.id === email?.id)?.status).toBe('bounced');
    const contact = await t.db
      .selectFrom('contacts')
      .select('email_invalid')
      .where('org_id', '=', orgId)
      .where('customer_id', '=', smsCustomer)
      .executeTakeFirstOrThrow();
    expect(contact.email_invalid).toBe(true);
    const bounceTasks = await t.db
      .selectFrom('tasks')
      .select('title')
      .where('org_id', '=', orgId)
      .where('kind', '=', 'bounce')
      .execute();
    expect(bounceTasks.map((x) => x.title)).toEqual(['Email not delivered (5.1.1): find another address']);
    expect(
      (await timeline(smsCustomer)).filter((e) => e.summary === 'email rejected (bounced) (5.1.1)'),
    ).toHaveLength(1);

    // A complaint (marked as spam) is a delivery that withdraws the contact's email consent.
    const [other] = (await deliveries('email')).filter((d) => d.customer_id === letterCustomer);
    const complaint = JSON.stringify([
      { messageId: other?.provider_message_id?.replace(/[<>]/g, ''), type: 'complaint' },
    ]);
    const c = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-relance-signature': signBody(secret, complaint) },
      body: complaint,
    });
    expect(await c.json()).toEqual({ received: 1, inserted: 1 });
    expect((await deliveries('email')).find((d) => d.id === other?.id)?.status).toBe('delivered');
    const rouxContact = await t.db
      .selectFrom('contacts')
      .select(['consent_email', 'email_invalid'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', letterCustomer)
      .executeTakeFirstOrThrow();
    expect(rouxContact).toEqual({ consent_email: false, email_invalid: false });
    expect((await timeline(letterCustomer)).map((e) => e.summary)).toContain(
      'email marked as spam by the recipient',
    );
  });

  it("files an emailed reply on the right customer's timeline by its reply token, once, with a task", async () => {
    const sent = smtp.received.find((m) => m.envelopeTo[0] === 'roux@menuiserie.example');
    const replyTo = sent?.parsed.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(/^relance\+[a-z0-9]+-[a-z2-7]{16}@reply\.canaux\.example$/);
    const mime = [
      'From: Paul Roux <roux@menuiserie.example>',
      `To: ${replyTo}`,
      'Subject: Re: Mise en demeure',
      'Message-ID: <reply-1@menuiserie.example>',
      `In-Reply-To: ${sent?.parsed.messageId}`,
      'Date: Fri, 20 Nov 2026 09:12:00 +0100',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Bonjour, la facture FL-1 est contestée : livraison incomplète.',
      '',
      'Le jeu. 19 nov. 2026 à 09:00, Canaux Relances SAS a écrit :',
      '> Madame, Monsieur,',
      '',
    ].join('\r\n');
    const first = await api('POST', '/inbound/email', mime, { 'content-type': 'message/rfc822' });
    expect(first.status).toBe(200);
    const r = (await first.json()) as Record<string, unknown>;
    expect(r).toMatchObject({
      kind: 'reply',
      customerId: letterCustomer,
      matchedBy: 'token:address',
      stored: true,
    });
    const again = await api('POST', '/inbound/email', mime, { 'content-type': 'message/rfc822' });
    expect(await again.json()).toMatchObject({ stored: false, taskId: null });
    const replies = (await timeline(letterCustomer)).filter((e) => e.kind === 'reply_received');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.payload.text).toBe('Bonjour, la facture FL-1 est contestée : livraison incomplète.');
    const tasks = await t.db
      .selectFrom('tasks')
      .select(['id', 'kind'])
      .where('org_id', '=', orgId)
      .where('customer_id', '=', letterCustomer)
      .where('kind', '=', 'reply')
      .execute();
    expect(tasks.map((x) => x.id)).toEqual([r.taskId]);

    const stranger = mime
      .replace(`To: ${replyTo}`, 'To: compta@canaux.example')
      .replace(/In-Reply-To: .*\r\n/, '')
      .replace('roux@menuiserie.example', 'unknown@nowhere.example')
      .replace('<reply-1@', '<reply-2@');
    expect((await api('POST', '/inbound/email', stranger, { 'content-type': 'message/rfc822' })).status).toBe(
      422,
    );
    const anonymous = await fetch(`${base}/api/v1/inbound/email`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: mime,
    });
    expect(anonymous.status).toBe(401);
  });

  it('reports per-channel health over a window', async () => {
    const res = await api('GET', '/channels/health?days=7');
    expect(res.status).toBe(200);
    const h = (await res.json()) as { channels: Record<string, unknown>[] };
    expect(h.channels).toEqual([
      {
        channel: 'email',
        total: 2,
        pending: 0,
        sent: 2,
        delivered: 1,
        failed: 0,
        bounced: 1,
        bounceRate: 0.5,
      },
      {
        channel: 'letter',
        total: 1,
        pending: 1,
        sent: 0,
        delivered: 0,
        failed: 0,
        bounced: 0,
        bounceRate: 0,
      },
      { channel: 'sms', total: 1, pending: 0, sent: 1, delivered: 1, failed: 0, bounced: 0, bounceRate: 0 },
    ]);
  });

  it('serves the print queue, the PDF, and records posting and receipt on the timeline', async () => {
    const queue = (await (await api('GET', '/letters?status=to_print')).json()) as {
      items: {
        id: string;
        registered: boolean;
        pdfUrl: string;
        customerId: string;
        documentSha256: string;
      }[];
    };
    expect(queue.items).toHaveLength(1);
    const letter = queue.items[0];
    expect(letter).toMatchObject({ registered: true, customerId: letterCustomer });
    const pdfRes = await fetch(`${base}${letter?.pdfUrl}`, { headers: { authorization: `Bearer ${token}` } });
    expect(pdfRes.status).toBe(200);
    expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await pdfRes.arrayBuffer());
    const { text } = await readPdf(pdf);
    const all = text.join('\n');
    expect(all).toContain('Lettre recommandée avec accusé de réception');
    expect(all).toContain('Menuiserie Roux');
    expect(all).toContain('FL-1');

    const posted = await api('POST', `/letters/${letter?.id}/posted`, {
      trackingNumber: '1A 012 345 678 90',
      postedOn: '2026-11-20',
    });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({
      status: 'posted',
      trackingNumber: '1A01234567890',
      postedOn: '2026-11-20',
    });
    await api('POST', `/letters/${letter?.id}/posted`, {
      trackingNumber: '1A01234567890',
      postedOn: '2026-11-20',
    });
    expect((await (await api('GET', '/letters?status=to_print')).json()) as unknown).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });
    const early = await api('POST', `/letters/${letter?.id}/receipt`, { receivedOn: '2026-11-19' });
    expect(early.status).toBe(400);
    const receipt = await api('POST', `/letters/${letter?.id}/receipt`, { receivedOn: '2026-11-23' });
    expect(await receipt.json()).toMatchObject({ status: 'delivered', receivedOn: '2026-11-23' });

    const entries = await timeline(letterCustomer);
    const letterEntries = entries.filter((e) => e.channel === 'letter');
    expect(letterEntries.map((e) => e.summary)).toEqual([
      'Letter handed to the post on 2026-11-20 (tracking no. 1A01234567890)',
      'Acknowledgement of receipt: letter received on 2026-11-23 (1A01234567890)',
    ]);
    expect(letterEntries[0]?.payload.documentSha256).toBe(letter?.documentSha256);
    const chain = (await (await api('GET', `/customers/${letterCustomer}/timeline`)).json()) as {
      intact: boolean;
    };
    expect(chain.intact).toBe(true);
    expect((await api('POST', `/letters/${crypto.randomUUID()}/posted`, {})).status).toBe(404);
  });
});
