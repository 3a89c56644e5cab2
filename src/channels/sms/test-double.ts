import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countSegments } from './encoding.js';
import { twilioSignature } from './twilio.js';

/**
 * A local SMS gateway speaking Twilio's and Brevo's HTTP formats on 127.0.0.1, for tests,
 * the demo and the end-to-end run. It checks credentials the way the real APIs do, records
 * every accepted message and can play delivery receipts back to the callback URL given at
 * send time (signed as the real provider would sign them).
 */
export interface RecordedSms {
  provider: 'twilio' | 'brevo';
  providerMessageId: string;
  to: string;
  from: string;
  text: string;
  unicode?: boolean;
  tag?: string;
  callbackUrl?: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface SmsFailure {
  status: number;
  code?: number | string;
  message: string;
}

export interface SmsDoubleOptions {
  twilio?: { accountSid: string; authToken: string };
  brevo?: { apiKey: string };
}

export interface SmsDouble {
  baseUrl: string;
  received: RecordedSms[];
  /** Make the gateway answer this failure for sends to `phone` (E.164, with '+'). */
  failFor(phone: string, failure: SmsFailure): void;
  /** POST a delivery receipt for a recorded message to its callback URL; returns the HTTP status. */
  deliver(providerMessageId: string, status: string, extra?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startSmsDouble(opts: SmsDoubleOptions): Promise<SmsDouble> {
  const received: RecordedSms[] = [];
  const failures = new Map<string, SmsFailure>();
  let brevoCounter = 1_700_000_000_000;

  const server = createServer((req, res) => {
    void (async () => {
      const rawBody = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://double').pathname;
      const twilioMatch = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
      if (req.method === 'POST' && twilioMatch && opts.twilio) {
        const expected = `Basic ${Buffer.from(`${opts.twilio.accountSid}:${opts.twilio.authToken}`).toString('base64')}`;
        if (
          req.headers.authorization !== expected ||
          decodeURIComponent(twilioMatch[1] ?? '') !== opts.twilio.accountSid
        ) {
          return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
        }
        const p = new URLSearchParams(rawBody);
        const to = p.get('To') ?? '';
        const failure = failures.get(to);
        if (failure)
          return json(res, failure.status, {
            code: failure.code,
            message: failure.message,
            status: failure.status,
          });
        if (!to || !p.get('Body') || !(p.get('From') || p.get('MessagingServiceSid'))) {
          return json(res, 400, {
            code: 21604,
            message: "A 'To', 'Body' and 'From' are required.",
            status: 400,
          });
        }
        const sid = `SM${randomBytes(16).toString('hex')}`;
        const body = p.get('Body') ?? '';
        received.push({
          provider: 'twilio',
          providerMessageId: sid,
          to,
          from: p.get('From') ?? p.get('MessagingServiceSid') ?? '',
          text: body,
          ...(p.get('StatusCallback') ? { callbackUrl: p.get('StatusCallback') ?? '' } : {}),
          headers: req.headers,
          rawBody,
        });
        return json(res, 201, {
          sid,
          account_sid: opts.twilio.accountSid,
          to,
          from: p.get('From'),
          body,
          status: 'queued',
          num_segments: String(countSegments(body).segments),
          direction: 'outbound-api',
        });
      }
      if (req.method === 'POST' && path === '/v3/transactionalSMS/send' && opts.brevo) {
        if (req.headers['api-key'] !== opts.brevo.apiKey) {
          return json(res, 401, { code: 'unauthorized', message: 'Key not found' });
        }
        let p: Record<string, unknown>;
        try {
          p = JSON.parse(rawBody) as Record<string, unknown>;
        } catch {
          return json(res, 400, { code: 'bad_request', message: 'Input must be a valid JSON object' });
        }
        const to = `+${String(p.recipient ?? '')}`;
        const failure = failures.get(to);
        if (failure) return json(res, failure.status, { code: failure.code, message: failure.message });
        if (typeof p.sender !== 'string' || typeof p.content !== 'string' || !p.recipient) {
          return json(res, 400, {
            code: 'missing_parameter',
            message: 'sender, recipient and content are required',
          });
        }
        const messageId = brevoCounter++;
        received.push({
          provider: 'brevo',
          providerMessageId: String(messageId),
          to,
          from: p.sender,
          text: p.content,
          unicode: p.unicodeEnabled === true,
          ...(typeof p.tag === 'string' ? { tag: p.tag } : {}),
          ...(typeof p.webUrl === 'string' ? { callbackUrl: p.webUrl } : {}),
          headers: req.headers,
          rawBody,
        });
        return json(res, 201, {
          reference: randomBytes(10).toString('hex'),
          messageId,
          smsCount: countSegments(p.content).segments,
          usedCredits: 0.045,
          remainingCredits: 100,
        });
      }
      json(res, 404, { message: 'not found' });
    })().catch((err: unknown) => json(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    failFor(phone, failure) {
      failures.set(phone, failure);
    },
    async deliver(providerMessageId, status, extra = {}) {
      const sms = received.find((r) => r.providerMessageId === providerMessageId);
      if (!sms?.callbackUrl) throw new RangeError(`no callback URL recorded for ${providerMessageId}`);
      if (sms.provider === 'twilio' && opts.twilio) {
        const params: Record<string, string> = {
          AccountSid: opts.twilio.accountSid,
          MessageSid: providerMessageId,
          SmsSid: providerMessageId,
          MessageStatus: status,
          SmsStatus: status,
          To: sms.to,
          From: sms.from,
          ApiVersion: '2010-04-01',
          ...extra,
        };
        const res = await fetch(sms.callbackUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilioSignature(opts.twilio.authToken, sms.callbackUrl, params),
          },
          body: new URLSearchParams(params).toString(),
        });
        return res.status;
      }
      const res = await fetch(sms.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 1,
          to: sms.to.replace(/^\+/, ''),
          sms_count: countSegments(sms.text).segments,
          messageId: Number(providerMessageId),
          msg_status: status,
          date: new Date().toISOString(),
          ts_event: Math.floor(Date.now() / 1000),
          type: 'sms',
          status: 'OK',
          tag: sms.tag ?? '',
          ...extra,
        }),
      });
      return res.status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
