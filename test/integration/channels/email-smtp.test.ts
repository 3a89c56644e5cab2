import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelError, type OutboundMessage } from '../../../src/channels/channel.js';
import { EmailChannel } from '../../../src/channels/email/email-channel.js';
import { createReplyToken, extractReplyToken } from '../../../src/channels/email/reply-token.js';
import { parseSmtpUrl } from '../../../src/channels/email/smtp-settings.js';
import { type SmtpFixture, startSmtpFixture } from './smtp-fixture.js';

const SECRET = 'test-secret-0123456789abcdef';
const messageUuid = '6f1c2a9e-4b3d-4e8f-9a1b-2c3d4e5f6a7b';
const pdfBytes = Buffer.from('%PDF-1.4\n% facture F-2024-118 \xe9\n%%EOF\n', 'latin1');

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: 'email',
    idempotencyKey: 'action-42',
    replyToken: createReplyToken(messageUuid, SECRET),
    sender: {
      orgId: 'org-1',
      name: 'Société Générale des Crèmes Glacées',
      email: 'compta@cremes.example',
      replyDomain: 'reply.cremes.example',
    },
    recipient: { customerId: 'c-1', name: 'Hélène Dupré', email: 'helene@client.example' },
    content: {
      subject: 'Relance : facture n° F-2024-118 échue',
      text: 'Bonjour Hélène,\n\nSauf erreur de notre part, la facture n° F-2024-118 de 1 234,56 € reste impayée.\nÇa arrive à tout le monde — merci de régulariser.',
      html: '<p>Bonjour Hélène,</p><p>Sauf erreur de notre part, la facture n° F-2024-118 de <b>1 234,56 €</b> reste impayée.</p>',
    },
    attachments: [{ filename: 'facture-F-2024-118.pdf', contentType: 'application/pdf', content: pdfBytes }],
    ...overrides,
  };
}

function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function catchError(p: Promise<unknown>): Promise<ChannelError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ChannelError) return e;
    throw e;
  }
  throw new Error('expected the send to fail');
}

describe('email over a real SMTP server on loopback', () => {
  let smtp: SmtpFixture;
  beforeAll(async () => {
    smtp = await startSmtpFixture();
  });
  afterAll(async () => smtp.close());

  it('delivers headers, both parts, the PDF attachment and UTF-8 French text', async () => {
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtp://127.0.0.1:${smtp.port}`) });
    const msg = message();
    const result = await channel.send(msg);
    channel.close();

    expect(result.status).toBe('sent');
    expect(result.provider).toBe('smtp');
    expect(result.acceptedAt).toBeInstanceOf(Date);
    const mail = smtp.received.at(-1);
    if (!mail) throw new Error('no mail received');
    const p = mail.parsed;
    expect(mail.envelopeTo).toEqual(['helene@client.example']);
    expect(mail.envelopeFrom).toBe('compta@cremes.example');
    expect(p.from?.value).toEqual([
      { name: 'Société Générale des Crèmes Glacées', address: 'compta@cremes.example' },
    ]);
    const to = Array.isArray(p.to) ? p.to[0] : p.to;
    expect(to?.value).toEqual([{ name: 'Hélène Dupré', address: 'helene@client.example' }]);
    expect(p.subject).toBe('Relance : facture n° F-2024-118 échue');
    expect(p.messageId).toBe(result.providerMessageId);
    expect(p.messageId).toMatch(/^<rl\.[a-z0-9]+-[a-z2-7]{16}@reply\.cremes\.example>$/);
    expect(p.replyTo?.value[0]?.address).toBe(`relance+${msg.replyToken}@reply.cremes.example`);
    expect(p.headers.get('x-relance-token')).toBe(msg.replyToken);
    expect(p.headers.get('auto-submitted')).toBe('auto-generated');
    expect(p.text).toContain('la facture n° F-2024-118 de 1 234,56 € reste impayée.');
    expect(p.text).toContain('Ça arrive à tout le monde — merci');
    expect(p.html).toContain('<b>1 234,56 €</b> reste impayée');
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0]?.filename).toBe('facture-F-2024-118.pdf');
    expect(p.attachments[0]?.contentType).toBe('application/pdf');
    expect(Buffer.compare(p.attachments[0]?.content ?? Buffer.alloc(0), pdfBytes)).toBe(0);
    // The raw message declares UTF-8 and encodes the subject (RFC 2047), never 8-bit headers.
    const raw = mail.raw.toString('latin1');
    expect(raw).toMatch(/charset=utf-8/i);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/im);
  });

  it('lets a reply to the received message be traced back through its Message-ID', async () => {
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtp://127.0.0.1:${smtp.port}`) });
    const result = await channel.send(message({ idempotencyKey: 'action-43' }));
    channel.close();
    const found = extractReplyToken(
      { recipients: ['compta@cremes.example'], inReplyTo: result.providerMessageId },
      SECRET,
    );
    expect(found).toMatchObject({ id: messageUuid, source: 'in-reply-to' });
  });

  it('reuses the same Message-ID for the same idempotency key without a token', async () => {
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtp://127.0.0.1:${smtp.port}`) });
    const plain = message({ idempotencyKey: 'retry-me' });
    delete plain.replyToken;
    const a = await channel.send(plain);
    const b = await channel.send(plain);
    const c = await channel.send({ ...plain, idempotencyKey: 'other' });
    channel.close();
    expect(a.providerMessageId).toBe(b.providerMessageId);
    expect(c.providerMessageId).not.toBe(a.providerMessageId);
    // Without a reply token, replies go to the sender's own address.
    expect(smtp.received.at(-1)?.parsed.replyTo?.value[0]?.address).toBe('compta@cremes.example');
  });

  it('refuses a recipient without an email address as an invalid address, without connecting', async () => {
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtp://127.0.0.1:${smtp.port}`) });
    const before = smtp.received.length;
    const err = await catchError(channel.send(message({ recipient: { customerId: 'c-1' } })));
    channel.close();
    expect(err.retryable).toBe(false);
    expect(err.invalidAddress).toBe(true);
    expect(smtp.received.length).toBe(before);
  });
});

describe('SMTP failures are classified for the retry policy', () => {
  it('treats a 451 on RCPT TO as retryable', async () => {
    const smtp = await startSmtpFixture({
      rejectRecipient: { code: 451, message: '4.7.1 Greylisted, try later' },
    });
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtp://127.0.0.1:${smtp.port}`) });
    const err = await catchError(channel.send(message()));
    channel.close();
    await smtp.close();
    expect(err.retryable).toBe(true);
    expect(err.invalidAddress).toBe(false);
    expect(err.providerCode).toBe(451);
    expect(smtp.received).toHaveLength(0);
  });

  it('treats a 550 on RCPT TO as permanent and flags the address invalid', async () => {
    const smtp = await startSmtpFixture({ rejectRecipient: { code: 550, message: '5.1.1 User unknown' } });
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtp://127.0.0.1:${smtp.port}`) });
    const err = await catchError(channel.send(message()));
    channel.close();
    await smtp.close();
    expect(err.retryable).toBe(false);
    expect(err.invalidAddress).toBe(true);
    expect(err.providerCode).toBe(550);
    expect(err.code).toBe('VALIDATION');
  });

  it('treats a refused connection as retryable', async () => {
    const port = await closedPort();
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtp://127.0.0.1:${port}`) });
    const err = await catchError(channel.send(message()));
    channel.close();
    expect(err.retryable).toBe(true);
    expect(err.invalidAddress).toBe(false);
  });
});

describe('SMTP authentication', () => {
  const user = 'relance-mailer';
  const pass = 'S3cr3t-p@ss:word!';
  let smtp: SmtpFixture;
  beforeAll(async () => {
    smtp = await startSmtpFixture({ auth: { user, pass } });
  });
  afterAll(async () => smtp.close());

  it('logs in with the user and percent-encoded password from SMTP_URL', async () => {
    const url = `smtp://${user}:${encodeURIComponent(pass)}@127.0.0.1:${smtp.port}`;
    const channel = new EmailChannel({ smtp: parseSmtpUrl(url) });
    const result = await channel.send(message());
    channel.close();
    expect(result.status).toBe('sent');
    expect(smtp.received.at(-1)?.user).toBe(user);
  });

  it('never puts the SMTP password in logs or errors, on success or on a failed login', async () => {
    const { logger, lines } = captureLogs();
    const good = new EmailChannel({
      smtp: parseSmtpUrl(`smtp://${user}:${encodeURIComponent(pass)}@127.0.0.1:${smtp.port}`),
      logger,
    });
    await good.send(message());
    good.close();
    const wrongPass = 'Wr0ng-p@ssw0rd-xyz';
    const bad = new EmailChannel({
      smtp: parseSmtpUrl(`smtp://${user}:${encodeURIComponent(wrongPass)}@127.0.0.1:${smtp.port}`),
      logger,
    });
    const err = await catchError(bad.send(message()));
    bad.close();
    expect(err.retryable).toBe(false);
    expect(err.invalidAddress).toBe(false);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const everything = [
      ...lines,
      err.message,
      err.stack ?? '',
      JSON.stringify(err),
      JSON.stringify(err.extra),
      String((err as { cause?: unknown }).cause),
      JSON.stringify((err as { cause?: unknown }).cause ?? null),
    ].join('\n');
    expect(everything).toContain(user);
    for (const secret of [pass, encodeURIComponent(pass), wrongPass, encodeURIComponent(wrongPass)]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('SMTP over TLS with a certificate made at test time', () => {
  let dir: string;
  let key: string;
  let cert: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'relance-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends over implicit TLS (smtps://) trusting the test certificate', async () => {
    const smtp = await startSmtpFixture({ secure: true, key, cert });
    const channel = new EmailChannel({
      smtp: { ...parseSmtpUrl(`smtps://127.0.0.1:${smtp.port}`), ca: cert },
    });
    const result = await channel.send(message());
    channel.close();
    await smtp.close();
    expect(result.status).toBe('sent');
    expect(smtp.received.at(-1)?.parsed.subject).toBe('Relance : facture n° F-2024-118 échue');
  });

  it('upgrades with STARTTLS when required and offered', async () => {
    const smtp = await startSmtpFixture({ key, cert });
    const channel = new EmailChannel({
      smtp: { ...parseSmtpUrl(`smtp://127.0.0.1:${smtp.port}?requireTLS=true`), ca: cert },
    });
    const result = await channel.send(message());
    channel.close();
    await smtp.close();
    expect(result.status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });

  it('refuses a certificate it does not trust, as a non-address failure', async () => {
    const smtp = await startSmtpFixture({ secure: true, key, cert });
    const channel = new EmailChannel({ smtp: parseSmtpUrl(`smtps://127.0.0.1:${smtp.port}`) });
    const err = await catchError(channel.send(message()));
    channel.close();
    await smtp.close();
    expect(err.invalidAddress).toBe(false);
    expect(smtp.received).toHaveLength(0);
  });
});
