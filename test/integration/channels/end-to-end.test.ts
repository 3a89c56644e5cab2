import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/server.js';
import { type SmsDouble, startSmsDouble } from '../../../src/channels/sms/test-double.js';
import { loadConfig } from '../../../src/config.js';
import { withOrg } from '../../../src/db/connection.js';
import { decodeActionPayload } from '../../../src/db/queries/action-payload.js';
import { refreshBalances } from '../../../src/db/queries/balances.js';
import { listEvidence } from '../../../src/db/queries/evidence.js';
import { createDemoOrganisation, populateDemo } from '../../../src/demo/seed.js';
import { verifyChain } from '../../../src/domain/dunning/index.js';
import { createApiKey } from '../../../src/services/api-keys/create-api-key.js';
import { channelSetFromConfig } from '../../../src/services/dunning/channel-set.js';
import { type RunResult, runDunning, runInstant } from '../../../src/services/dunning/run-dunning.js';
import { createTestDb, describeEngines, type TestDb } from '../../helpers/db.js';
import { seedStepsSentForOverdue } from '../../helpers/dunning-history.js';
import { readPdf } from '../../unit/channels/pdf-text.js';
import { runCli, tempDataDir } from '../cli/spawn.js';
import { type SmtpFixture, startSmtpFixture } from './smtp-fixture.js';

/**
 * Issue 4's end-to-end run: the demo portfolio, one dunning run for a fixed date, every
 * channel received by a real local counterpart (SMTP server, SMS gateway double, PDF
 * letters parsed back), provider statuses flowing back through the HTTP webhooks onto the
 * timelines, and no credential anywhere in the logs.
 */
const DATE = '2026-11-19';
const SMTP_USER = 'relance-mailer';
const SMTP_PASS = 'Sm7p-P4ss/w0rd%secret';
const BREVO_KEY = 'xkeysib-0123456789abcdef-e2e-api-key';
const BREVO_HOOK = 'brevo-webhook-secret-e2e-0001';
const APP_SECRET = 'relance-e2e-application-secret';

describeEngines(
  'end to end: demo portfolio → dunning run → email, SMS, letters → statuses back',
  (engine) => {
    let t: TestDb;
    let smtp: SmtpFixture;
    let sms: SmsDouble;
    let app: FastifyInstance;
    let base: string;
    let orgId: string;
    let token: string;
    let run: RunResult;
    const logLines: string[] = [];

    const api = (method: 'GET' | 'POST', path: string, body?: string | object, type = 'application/json') =>
      fetch(`${base}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': type } : {}),
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    const deliveries = (channel: 'email' | 'sms' | 'letter') =>
      t.db
        .selectFrom('message_deliveries')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('channel', '=', channel)
        .orderBy('created_at')
        .execute();

    beforeAll(async () => {
      t = await createTestDb(engine);
      smtp = await startSmtpFixture({ auth: { user: SMTP_USER, pass: SMTP_PASS } });
      sms = await startSmsDouble({ brevo: { apiKey: BREVO_KEY } });
      const org = await createDemoOrganisation(t.db);
      orgId = org.id;
      await populateDemo(t.db, orgId, { customers: 60, invoices: 400, seed: 9, today: DATE });
      // The demo's consumers rarely sit 7–29 days late on a given day (the SMS steps): give
      // two of them, with SMS consent, a fresh invoice 16 days overdue so every channel runs.
      const consumers = await t.db
        .selectFrom('customers as c')
        .innerJoin('contacts as k', (j) =>
          j.onRef('k.org_id', '=', 'c.org_id').onRef('k.customer_id', '=', 'c.id'),
        )
        .select(['c.id'])
        .where('c.org_id', '=', orgId)
        .where('c.kind', '=', 'b2c')
        .where('k.consent_sms', '=', true)
        .where('k.is_primary', '=', true)
        .orderBy('c.external_ref')
        .limit(2)
        .execute();
      expect(consumers).toHaveLength(2);
      await t.db
        .insertInto('invoices')
        .values(
          consumers.map((c, i) => ({
            org_id: orgId,
            customer_id: c.id,
            invoice_number: `E2E-${i + 1}`,
            issue_date: '2026-10-01',
            due_date: '2026-11-03',
            currency: 'EUR',
            gross_minor: 18_900 + i * 1000,
          })),
        )
        .execute();
      await refreshBalances(t.db, orgId, { all: true });
      await t.db
        .updateTable('organisations')
        .set({
          settings: JSON.stringify({
            smsSenderId: 'DEMO',
            replyDomain: 'reply.demo-industries.example',
            channels: {
              sms: { provider: 'brevo', apiKey: BREVO_KEY, webhookSecret: BREVO_HOOK, baseUrl: sms.baseUrl },
            },
          }),
        })
        .where('id', '=', orgId)
        .execute();
      token = (await createApiKey(t.db, orgId, { name: 'e2e', role: 'collector' })).token;

      const log = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
      const config = loadConfig({
        LOG_LEVEL: 'trace',
        SMTP_URL: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${smtp.port}`,
        RELANCE_SECRET: APP_SECRET,
      });
      app = await buildServer({ handle: t, config, log, webDir: false });
      base = await app.listen({ port: 0, host: '127.0.0.1' });
      config.PUBLIC_URL = base;

      // The portfolio's earlier reminders were sent (a step presupposes them, decision 021):
      // items 30+ days late are due for the formal notice (letters), 15+ for the second reminder (SMS).
      await seedStepsSentForOverdue(t.db, orgId, '2026-10-20', [
        ['first_reminder', '2026-09-01T08:00:00Z'],
        ['second_reminder', '2026-09-10T08:00:00Z'],
      ]);
      await seedStepsSentForOverdue(
        t.db,
        orgId,
        '2026-11-04',
        [['first_reminder', '2026-11-01T08:00:00Z']],
        '2026-10-20',
      );
      const at = await runInstant(t.db, orgId, DATE);
      run = await runDunning(t.db, orgId, {
        at,
        dryRun: false,
        delivery: { channels: channelSetFromConfig(config, log), workerId: 'e2e', log, secret: APP_SECRET },
      });
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await sms?.close();
      await smtp?.close();
      await t?.drop();
    });

    it('sends by email, SMS and letter, each accepted message tracked once', async () => {
      expect(run.delivery).not.toBeNull();
      expect(run.delivery?.retried).toBe(0);
      const email = await deliveries('email');
      const text = await deliveries('sms');
      const letters = await deliveries('letter');
      expect(email.length).toBeGreaterThan(0);
      expect(text.length).toBeGreaterThan(0);
      expect(letters.length).toBeGreaterThan(0);
      // What the SMTP server received is exactly what is recorded as sent, authenticated.
      expect(smtp.received.map((m) => m.parsed.messageId).sort()).toEqual(
        email.map((d) => d.provider_message_id).sort(),
      );
      expect(smtp.received.every((m) => m.user === SMTP_USER)).toBe(true);
      expect(smtp.received.map((m) => m.envelopeTo[0]).sort()).toEqual(email.map((d) => d.to_address).sort());
      expect(sms.received.map((m) => m.providerMessageId).sort()).toEqual(
        text.map((d) => d.provider_message_id).sort(),
      );
      expect(
        sms.received.every(
          (m) => m.from === 'DEMO' && m.callbackUrl?.startsWith(`${base}/hooks/sms/${orgId}/brevo?`),
        ),
      ).toBe(true);
      const sentActions = await t.db
        .selectFrom('dunning_actions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .where('status', '=', 'sent')
        .where('channel', 'in', ['email', 'sms', 'letter', 'registered_letter'])
        .executeTakeFirstOrThrow();
      expect(email.length + text.length + letters.length).toBe(Number(sentActions.n));
    });

    it('renders every letter to a PDF that reads back with its addressee and invoices', async () => {
      const queue = (await (await api('GET', '/letters?status=to_print')).json()) as {
        items: { id: string; customerName: string; pdfUrl: string; actionId: string }[];
      };
      expect(queue.items.length).toBe((await deliveries('letter')).length);
      for (const l of queue.items) {
        const res = await fetch(`${base}${l.pdfUrl}`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        const { text } = await readPdf(Buffer.from(await res.arrayBuffer()));
        const all = text.join('\n');
        expect(all).toContain(l.customerName);
        const action = await t.db
          .selectFrom('dunning_actions')
          .select(['items', 'channel'])
          .where('org_id', '=', orgId)
          .where('id', '=', l.actionId)
          .executeTakeFirstOrThrow();
        for (const item of decodeActionPayload(action.items).items) {
          expect(all).toContain(item.invoiceNumber);
        }
        if (action.channel === 'registered_letter')
          expect(all).toContain('Lettre recommandée avec accusé de réception');
      }
      const first = queue.items[0];
      expect(
        (
          await api('POST', `/letters/${first?.id}/posted`, {
            trackingNumber: '1A11122233344',
            postedOn: '2026-11-20',
          })
        ).status,
      ).toBe(200);
      expect((await api('POST', `/letters/${first?.id}/receipt`, { receivedOn: '2026-11-24' })).status).toBe(
        200,
      );
    });

    it('brings SMS receipts, an email bounce and a reply back onto the timelines', async () => {
      for (const m of sms.received) expect(await sms.deliver(m.providerMessageId, 'delivered')).toBe(204);
      expect((await deliveries('sms')).every((d) => d.status === 'delivered')).toBe(true);

      // An asynchronous bounce (RFC 3464 report) for the first email, posted as raw MIME.
      const [bounced, replied] = await deliveries('email');
      const dsn = [
        'From: MAILER-DAEMON@mx.example',
        'To: comptabilite@demo-industries.example',
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <dsn-1@mx.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example',
        '',
        `Final-Recipient: rfc822; ${bounced?.to_address}`,
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
        '',
        '--B',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${bounced?.provider_message_id}`,
        'Subject: Relance',
        '',
        '--B--',
        '',
      ].join('\r\n');
      const b = await api('POST', '/inbound/email', dsn, 'message/rfc822');
      expect(await b.json()).toEqual({ kind: 'bounce', matched: 1, inserted: 1 });

      const sent = smtp.received.find((m) => m.parsed.messageId === replied?.provider_message_id);
      const reply = [
        `From: ${replied?.to_address}`,
        `To: ${sent?.parsed.replyTo?.value[0]?.address}`,
        'Subject: Re: relance',
        'Message-ID: <e2e-reply@client.example>',
        `In-Reply-To: ${replied?.provider_message_id}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Virement parti ce matin.',
        '',
      ].join('\r\n');
      const r = await api('POST', '/inbound/email', reply, 'message/rfc822');
      expect(await r.json()).toMatchObject({ kind: 'reply', customerId: replied?.customer_id, stored: true });

      const statuses = await deliveries('email');
      expect(statuses.find((d) => d.id === bounced?.id)?.status).toBe('bounced');
      const touched = [
        ...new Set([
          ...(await deliveries('sms')).map((d) => d.customer_id),
          bounced?.customer_id,
          replied?.customer_id,
        ]),
      ].filter((c): c is string => Boolean(c));
      for (const customerId of touched) {
        const entries = await withOrg(t.db, orgId, (trx) => listEvidence(trx, orgId, customerId));
        expect(verifyChain(entries).ok).toBe(true);
        expect(entries.some((e) => e.kind === 'message_sent')).toBe(true);
        expect(entries.some((e) => e.kind === 'delivery_status' || e.kind === 'reply_received')).toBe(true);
      }
      const health = (await (await api('GET', '/channels/health?days=366')).json()) as {
        channels: { channel: string; bounced: number; delivered: number; sent: number }[];
      };
      expect(health.channels.find((c) => c.channel === 'email')?.bounced).toBe(1);
      expect(health.channels.find((c) => c.channel === 'sms')?.delivered).toBe(sms.received.length);
    });

    it('never writes a credential to the logs', () => {
      const logs = logLines.join('');
      expect(logs).toContain('email accepted');
      expect(logs).toContain('sms accepted');
      for (const secret of [
        SMTP_PASS,
        encodeURIComponent(SMTP_PASS),
        BREVO_KEY,
        BREVO_HOOK,
        APP_SECRET,
        token,
      ]) {
        expect(logs).not.toContain(secret);
      }
    });
  },
);

describe('end to end through the CLI: relance run --date with SMTP_URL', () => {
  let smtp: SmtpFixture;
  beforeAll(async () => {
    smtp = await startSmtpFixture({ auth: { user: SMTP_USER, pass: SMTP_PASS } });
  });
  afterAll(async () => smtp?.close());

  it('emails the demo debtors through the configured SMTP server and keeps the password out of the output', async () => {
    const env = { DATA_DIR: tempDataDir(), RELANCE_DEMO: 'false' };
    const demo = await runCli(
      ['demo', '--new', '--customers', '40', '--invoices', '300', '--seed', '4', '--today', DATE],
      env,
    );
    expect(demo.code, demo.stderr).toBe(0);
    const smtpUrl = `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${smtp.port}`;
    // --verbose and debug: every log line the run writes is in the captured output.
    // A week after the demo's today: its overdue items have reached their first reminder (J+7).
    const r = await runCli(['--verbose', 'run', '--date', '2026-11-26'], {
      ...env,
      SMTP_URL: smtpUrl,
      LOG_LEVEL: 'debug',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('email accepted');
    const sent = Number(/Delivered: (\d+) sent/.exec(r.stdout)?.[1]);
    expect(sent).toBeGreaterThan(0);
    expect(smtp.received.length).toBeGreaterThan(0);
    expect(smtp.received.length).toBeLessThanOrEqual(sent);
    expect(smtp.received.every((m) => m.user === SMTP_USER)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(SMTP_PASS);
    expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(SMTP_PASS));
  }, 120_000);
});
