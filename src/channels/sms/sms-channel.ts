import type { Logger } from 'pino';
import { type Channel, ChannelError, type OutboundMessage, type SendResult } from '../channel.js';
import { checkSenderId, normalisePhone } from './addressing.js';
import { countSegments, toGsm7 } from './encoding.js';
import type { SmsProvider } from './provider.js';

export interface SmsChannelOptions {
  provider: SmsProvider;
  /** Public URL of the receipts webhook for this provider (the route appends nothing). */
  statusCallbackUrl?: string;
  /** Whether this number replied STOP (see opt-out.ts and queries/deliveries.ts). */
  isOptedOut?: (orgId: string, phone: string) => Promise<boolean>;
  /** Rewrite French accents outside GSM-7 (ç, ê, œ, ’) to keep one segment. Default true. */
  preferGsm7?: boolean;
  /** Refuse messages longer than this many segments (cost guard). Default 3. */
  maxSegments?: number;
  logger?: Logger;
}

export class SmsChannel implements Channel {
  readonly kind = 'sms' as const;
  private readonly log: Logger | undefined;

  constructor(private readonly opts: SmsChannelOptions) {
    this.log = opts.logger?.child({ module: 'channels.sms', provider: opts.provider.name });
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const provider = this.opts.provider.name;
    const phone = message.recipient.phone ? normalisePhone(message.recipient.phone) : null;
    if (!phone) {
      throw new ChannelError('recipient has no usable mobile number', {
        retryable: false,
        invalidAddress: true,
        provider,
      });
    }
    const senderId = message.sender.smsSenderId ?? '';
    const check = checkSenderId(senderId);
    if (!check.ok) throw new ChannelError(check.reason, { retryable: false, provider });
    if (this.opts.isOptedOut && (await this.opts.isOptedOut(message.sender.orgId, phone))) {
      throw new ChannelError('recipient opted out of SMS (STOP)', {
        retryable: false,
        optedOut: true,
        provider,
      });
    }
    const source = message.content.sms ?? message.content.text ?? '';
    const text = (this.opts.preferGsm7 ?? true) ? toGsm7(source) : source;
    if (text.trim() === '') throw new ChannelError('SMS text is empty', { retryable: false, provider });
    const seg = countSegments(text);
    const max = this.opts.maxSegments ?? 3;
    if (seg.segments > max) {
      throw new ChannelError(
        `SMS needs ${seg.segments} segments (${seg.encoding}), more than the ${max} allowed`,
        {
          retryable: false,
          provider,
        },
      );
    }
    const accepted = await this.opts.provider.send({
      to: phone,
      from: senderId,
      text,
      encoding: seg.encoding,
      reference: message.idempotencyKey,
      ...(this.opts.statusCallbackUrl ? { statusCallbackUrl: this.opts.statusCallbackUrl } : {}),
    });
    // Phone numbers are personal data: log the message ids, not the number.
    this.log?.info(
      {
        orgId: message.sender.orgId,
        idempotencyKey: message.idempotencyKey,
        providerMessageId: accepted.providerMessageId,
      },
      'sms accepted',
    );
    return {
      status: 'sent',
      provider,
      providerMessageId: accepted.providerMessageId,
      acceptedAt: new Date(),
      segments: accepted.segments ?? seg.segments,
    };
  }
}
