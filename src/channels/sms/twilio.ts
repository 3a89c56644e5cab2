import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChannelError } from '../channel.js';
import {
  callProvider,
  type DeliveryReceipt,
  type DeliveryStatus,
  header,
  type InboundSms,
  isRetryableHttpStatus,
  readJson,
  type SmsAccepted,
  type SmsProvider,
  type SmsSendRequest,
  type WebhookRequest,
} from './provider.js';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** https://api.twilio.com in production; a loopback double in tests. */
  baseUrl?: string;
  /** Send through a Messaging Service instead of a From number/sender id. */
  messagingServiceSid?: string;
  timeoutMs?: number;
}

const PROVIDER = 'twilio';

/**
 * Twilio error codes that condemn the number (api-reference "Error and Warning Dictionary"):
 * 21211 invalid 'To', 21614 not a mobile number, 30005 unknown destination, 30006 landline.
 * 21610 means the recipient replied STOP to this sender: an opt-out, not a bad number.
 */
const INVALID_NUMBER_CODES = new Set(['21211', '21214', '21217', '21614', '30005', '30006']);
const OPTED_OUT_CODES = new Set(['21610']);

const STATUS: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'opened',
  undelivered: 'bounced',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * X-Twilio-Signature (Twilio "Webhooks security"): base64 HMAC-SHA1, keyed with the auth
 * token, of the full URL followed by every POST parameter name and value, sorted by name.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + (params[key] ?? ''), url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

function formParams(raw: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw));
}

export class TwilioSmsProvider implements SmsProvider {
  readonly name = PROVIDER;
  private readonly baseUrl: string;

  constructor(private readonly s: TwilioSettings) {
    this.baseUrl = (s.baseUrl ?? 'https://api.twilio.com').replace(/\/$/, '');
  }

  /** POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, HTTP Basic auth. */
  async send(req: SmsSendRequest): Promise<SmsAccepted> {
    const body = new URLSearchParams({ To: req.to, Body: req.text });
    if (this.s.messagingServiceSid) body.set('MessagingServiceSid', this.s.messagingServiceSid);
    else body.set('From', req.from);
    if (req.statusCallbackUrl) body.set('StatusCallback', req.statusCallbackUrl);
    const url = `${this.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.s.accountSid)}/Messages.json`;
    const auth = Buffer.from(`${this.s.accountSid}:${this.s.authToken}`).toString('base64');
    const res = await callProvider(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${auth}`,
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          accept: 'application/json',
        },
        body: body.toString(),
      },
      { provider: PROVIDER, timeoutMs: this.s.timeoutMs ?? 15_000 },
    );
    const json = await readJson(res);
    if (res.status === 200 || res.status === 201) {
      const sid = json.sid;
      if (typeof sid !== 'string' || !sid) {
        throw new ChannelError('twilio accepted the request but returned no message sid', {
          retryable: false,
          provider: PROVIDER,
          providerCode: res.status,
        });
      }
      const segments = Number(json.num_segments);
      return { providerMessageId: sid, ...(Number.isInteger(segments) && segments > 0 ? { segments } : {}) };
    }
    const code = json.code !== undefined ? String(json.code) : undefined;
    const detail = typeof json.message === 'string' ? `: ${json.message}` : '';
    throw new ChannelError(
      `twilio refused the message (HTTP ${res.status}${code ? `, code ${code}` : ''})${detail}`,
      {
        retryable: isRetryableHttpStatus(res.status),
        invalidAddress: code !== undefined && (INVALID_NUMBER_CODES.has(code) || OPTED_OUT_CODES.has(code)),
        provider: PROVIDER,
        providerCode: code ?? res.status,
      },
    );
  }

  verifyWebhook(req: WebhookRequest): boolean {
    const given = header(req, 'x-twilio-signature');
    if (!given) return false;
    const expected = Buffer.from(twilioSignature(this.s.authToken, req.url, formParams(req.rawBody)));
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  parseWebhook(req: WebhookRequest): DeliveryReceipt[] {
    const p = formParams(req.rawBody);
    const sid = p.MessageSid ?? p.SmsSid;
    const providerStatus = (p.MessageStatus ?? p.SmsStatus ?? '').toLowerCase();
    const status = STATUS[providerStatus];
    if (!sid || !status) return [];
    const errorCode = p.ErrorCode || undefined;
    return [
      {
        provider: PROVIDER,
        providerMessageId: sid,
        status,
        providerStatus,
        // Twilio sends no event id: a message reaches each status once, so sid+status is the key.
        eventKey: `${sid}:${providerStatus}`,
        ...(errorCode ? { errorCode } : {}),
        ...(errorCode && INVALID_NUMBER_CODES.has(errorCode) ? { invalidAddress: true } : {}),
        ...(errorCode && OPTED_OUT_CODES.has(errorCode) ? { optedOut: true } : {}),
      },
    ];
  }

  /** Incoming message webhook: form fields MessageSid, From, To, Body (same signature scheme). */
  parseInbound(req: WebhookRequest): InboundSms | null {
    const p = formParams(req.rawBody);
    const sid = p.MessageSid ?? p.SmsSid;
    if (!sid || !p.From || p.Body === undefined || p.MessageStatus !== undefined) return null;
    return { provider: PROVIDER, providerMessageId: sid, from: p.From, to: p.To ?? '', text: p.Body };
  }
}
