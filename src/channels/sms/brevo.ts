import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChannelError } from '../channel.js';
import {
  callProvider,
  type DeliveryReceipt,
  type DeliveryStatus,
  header,
  isRetryableHttpStatus,
  readJson,
  type SmsAccepted,
  type SmsProvider,
  type SmsSendRequest,
  type WebhookRequest,
} from './provider.js';

export interface BrevoSettings {
  apiKey: string;
  /** https://api.brevo.com in production; a loopback double in tests. */
  baseUrl?: string;
  /**
   * Secret for webhook authentication. Brevo signs nothing itself, so the receipt URL we
   * hand it per message carries `sig`, an HMAC of the URL's path and `ref`; a relay that
   * can add headers may instead send X-Relance-Signature (HMAC-SHA256 hex of the raw body).
   */
  webhookSecret: string;
  timeoutMs?: number;
}

const PROVIDER = 'brevo';

/** Brevo SMS webhook events ("msg_status"/"event"), both spellings seen in its docs. */
const STATUS: Record<string, DeliveryStatus> = {
  accepted: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  soft_bounce: 'bounced',
  softbounce: 'bounced',
  soft_bounced: 'bounced',
  hard_bounce: 'bounced',
  hardbounce: 'bounced',
  hard_bounced: 'bounced',
  rejected: 'failed',
  skip: 'failed',
  blacklisted: 'failed',
  unsubscribe: 'failed',
  unsubscribed: 'failed',
};
const HARD = new Set(['hard_bounce', 'hardbounce', 'hard_bounced']);
const OPT_OUT = new Set(['unsubscribe', 'unsubscribed', 'blacklisted']);

function hmacHex(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class BrevoSmsProvider implements SmsProvider {
  readonly name = PROVIDER;
  private readonly baseUrl: string;

  constructor(private readonly s: BrevoSettings) {
    this.baseUrl = (s.baseUrl ?? 'https://api.brevo.com').replace(/\/$/, '');
  }

  /** Add `ref` and `sig` to a receipt URL so only Brevo (who got it from us) can call it. */
  signCallbackUrl(url: string, reference: string): string {
    const u = new URL(url);
    u.searchParams.set('ref', reference);
    u.searchParams.set('sig', hmacHex(this.s.webhookSecret, `${u.pathname}|${reference}`));
    return u.toString();
  }

  /** POST /v3/transactionalSMS/send, JSON, `api-key` header (Brevo API v3). */
  async send(req: SmsSendRequest): Promise<SmsAccepted> {
    const payload: Record<string, unknown> = {
      sender: req.from,
      // Brevo wants the number with its country code and no '+'.
      recipient: req.to.replace(/^\+/, ''),
      content: req.text,
      type: 'transactional',
      tag: req.reference,
      unicodeEnabled: req.encoding === 'UCS-2',
    };
    if (req.statusCallbackUrl) payload.webUrl = this.signCallbackUrl(req.statusCallbackUrl, req.reference);
    const res = await callProvider(
      `${this.baseUrl}/v3/transactionalSMS/send`,
      {
        method: 'POST',
        headers: { 'api-key': this.s.apiKey, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload),
      },
      { provider: PROVIDER, timeoutMs: this.s.timeoutMs ?? 15_000 },
    );
    const json = await readJson(res);
    if (res.status === 200 || res.status === 201) {
      const id = json.messageId;
      if ((typeof id !== 'number' && typeof id !== 'string') || id === '') {
        throw new ChannelError('brevo accepted the request but returned no messageId', {
          retryable: false,
          provider: PROVIDER,
          providerCode: res.status,
        });
      }
      const segments = Number(json.smsCount);
      return {
        providerMessageId: String(id),
        ...(Number.isInteger(segments) && segments > 0 ? { segments } : {}),
      };
    }
    const code = typeof json.code === 'string' ? json.code : undefined;
    const message = typeof json.message === 'string' ? json.message : '';
    // Brevo answers 400 invalid_parameter for a malformed recipient; 402 for no credits.
    const invalidAddress = res.status === 400 && /recipient|mobile|phone|number/i.test(message);
    throw new ChannelError(
      `brevo refused the message (HTTP ${res.status}${code ? `, ${code}` : ''})${message ? `: ${message}` : ''}`,
      {
        retryable: isRetryableHttpStatus(res.status),
        invalidAddress,
        provider: PROVIDER,
        providerCode: code ?? res.status,
      },
    );
  }

  verifyWebhook(req: WebhookRequest): boolean {
    const bodySig = header(req, 'x-relance-signature');
    if (bodySig) return safeEqual(hmacHex(this.s.webhookSecret, req.rawBody), bodySig.toLowerCase());
    let u: URL;
    try {
      u = new URL(req.url);
    } catch {
      return false;
    }
    const ref = u.searchParams.get('ref');
    const sig = u.searchParams.get('sig');
    if (!ref || !sig) return false;
    return safeEqual(hmacHex(this.s.webhookSecret, `${u.pathname}|${ref}`), sig.toLowerCase());
  }

  parseWebhook(req: WebhookRequest): DeliveryReceipt[] {
    let body: unknown;
    try {
      body = JSON.parse(req.rawBody);
    } catch {
      return [];
    }
    const events = Array.isArray(body) ? body : [body];
    const out: DeliveryReceipt[] = [];
    for (const e of events) {
      if (!e || typeof e !== 'object') continue;
      const ev = e as Record<string, unknown>;
      const raw = ev.msg_status ?? ev.event;
      const id = ev.messageId ?? ev['message-id'];
      if (typeof raw !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) continue;
      const providerStatus = raw.toLowerCase();
      const status = STATUS[providerStatus];
      if (!status) continue;
      const ts = Number(ev.ts_event);
      const occurredAt = Number.isFinite(ts) && ts > 0 ? new Date(ts * 1000) : undefined;
      const description = typeof ev.description === 'string' ? ev.description : undefined;
      out.push({
        provider: PROVIDER,
        providerMessageId: String(id),
        status,
        providerStatus,
        eventKey: `${id}:${providerStatus}`,
        ...(occurredAt ? { occurredAt } : {}),
        ...(description ? { errorCode: description.slice(0, 100) } : {}),
        ...(HARD.has(providerStatus) ? { invalidAddress: true } : {}),
        ...(OPT_OUT.has(providerStatus) ? { optedOut: true } : {}),
      });
    }
    return out;
  }
}
