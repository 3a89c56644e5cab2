import { ChannelError, isTransientNetworkError } from '../channel.js';
import type { SmsEncoding } from './encoding.js';

export interface SmsSendRequest {
  /** E.164. */
  to: string;
  /** Validated sender id or number. */
  from: string;
  text: string;
  encoding: SmsEncoding;
  /** Our idempotency key, passed as a tag where the provider keeps one. */
  reference: string;
  /** Where the provider should POST delivery receipts for this message. */
  statusCallbackUrl?: string;
}

export interface SmsAccepted {
  providerMessageId: string;
  /** The provider's own count when it reports one, else ours. */
  segments?: number;
}

/** The canonical delivery states every channel maps into (see docs/channels.md). */
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'bounced' | 'failed' | 'opened' | 'clicked';

export interface DeliveryReceipt {
  provider: string;
  providerMessageId: string;
  status: DeliveryStatus;
  /** The provider's word, kept for the evidence trail. */
  providerStatus: string;
  errorCode?: string;
  occurredAt?: Date;
  /** Stable key for idempotency: the same receipt delivered twice has the same key. */
  eventKey: string;
  /** The number is wrong (unknown, landline): flag the contact. */
  invalidAddress?: boolean;
  /** The recipient opted out at the provider. */
  optedOut?: boolean;
}

/** A webhook request as the HTTP layer received it, before any parsing. */
export interface WebhookRequest {
  /** The full public URL the provider called, query string included. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface SmsProvider {
  readonly name: string;
  send(req: SmsSendRequest): Promise<SmsAccepted>;
  /** Authenticate a delivery-receipt webhook. Constant-time; false on any doubt. */
  verifyWebhook(req: WebhookRequest): boolean;
  /** Parse a verified webhook into receipts (empty when it carries no status). */
  parseWebhook(req: WebhookRequest): DeliveryReceipt[];
  /** Parse a verified inbound-SMS webhook (a debtor's answer, STOP), where the provider has one. */
  parseInbound?(req: WebhookRequest): InboundSms | null;
}

export interface InboundSms {
  provider: string;
  providerMessageId: string;
  /** E.164 of the debtor. */
  from: string;
  to: string;
  text: string;
}

export function header(req: WebhookRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

export interface HttpCallOptions {
  provider: string;
  timeoutMs: number;
}

/** fetch with a timeout, mapping transport failures to retryable ChannelErrors. */
export async function callProvider(url: string, init: RequestInit, opts: HttpCallOptions): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs) });
  } catch (err) {
    const transient = isTransientNetworkError(err) || err instanceof TypeError;
    throw new ChannelError(`${opts.provider} unreachable`, {
      retryable: transient,
      provider: opts.provider,
      cause: err,
    });
  }
}

/** HTTP statuses worth retrying: rate limits, timeouts and server errors. */
export function isRetryableHttpStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

export async function readJson(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return { message: text.slice(0, 200) };
  }
}
