import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Logger } from 'pino';
import {
  type Channel,
  ChannelError,
  isTransientNetworkError,
  type OutboundMessage,
  type SendResult,
} from '../channel.js';
import { buildMessageId, replyAddress } from './reply-token.js';
import { describeSmtp, type SmtpSettings } from './smtp-settings.js';
import { type EmailTracking, instrumentHtml } from './tracking.js';

export interface EmailChannelOptions {
  smtp: SmtpSettings;
  logger?: Logger;
  /** Domain for Message-IDs when the sender has no address (should not happen in practice). */
  fallbackDomain?: string;
  /** Local part before '+token' in reply addresses. */
  replyLocalPart?: string;
  /** Open pixel and link redirects (the organisation opted in); off when absent. */
  tracking?: EmailTracking;
}

const PROVIDER = 'smtp';

/** Redaction applied on top of the root logger's, whatever the caller logs under this module. */
const REDACT = {
  paths: ['pass', 'password', 'auth', 'smtp.pass', 'settings.pass', '*.pass', '*.auth', 'url', '*.url'],
  censor: '[redacted]',
};

export function createSmtpTransport(s: SmtpSettings): Transporter<SMTPTransport.SentMessageInfo> {
  const options: SMTPTransport.Options = {
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: s.requireTls ?? false,
    connectionTimeout: s.connectionTimeoutMs ?? 10_000,
    greetingTimeout: s.greetingTimeoutMs ?? 10_000,
    socketTimeout: s.socketTimeoutMs ?? 30_000,
    // nodemailer's own logger prints the AUTH exchange: keep it off.
    logger: false,
    debug: false,
    ...(s.clientName ? { name: s.clientName } : {}),
    ...(s.user ? { auth: { user: s.user, pass: s.pass ?? '' } } : {}),
    ...(s.ca ? { tls: { ca: s.ca } } : {}),
  };
  return nodemailer.createTransport(options);
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

/**
 * RFC 5321 §4.2.1: 4yz is a transient negative reply (try again), 5yz permanent. A 5yz on
 * RCPT TO, or any enhanced status 5.1.x (RFC 3463: addressing status), condemns the address
 * itself; other 5yz (content refused, policy) are permanent but say nothing about the
 * address. Authentication failures are configuration errors: not retried, not the address.
 */
export function classifySmtpError(err: unknown): ChannelError {
  const e = (err ?? {}) as SmtpFailure;
  const code = e.responseCode;
  const enhanced = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(e.response ?? '');
  const providerCode = code ?? e.code;
  // Only the server's reply text goes in the message: never the settings.
  const reply = e.response ? `: ${e.response.slice(0, 200)}` : '';
  if (e.code === 'EAUTH') {
    return new ChannelError(`SMTP authentication failed${reply}`, {
      retryable: false,
      provider: PROVIDER,
      ...(providerCode !== undefined ? { providerCode } : {}),
    });
  }
  if (code !== undefined && code >= 400 && code < 500) {
    return new ChannelError(`SMTP server deferred the message (${code})${reply}`, {
      retryable: true,
      provider: PROVIDER,
      providerCode: code,
    });
  }
  if (code !== undefined && code >= 500) {
    const onRecipient = (e.command ?? '').toUpperCase().startsWith('RCPT') || e.code === 'EENVELOPE';
    const addressing = enhanced?.[1] === '5' && enhanced[2] === '1';
    return new ChannelError(`SMTP server refused the message (${code})${reply}`, {
      retryable: false,
      invalidAddress: onRecipient || addressing,
      provider: PROVIDER,
      providerCode: code,
    });
  }
  if (isTransientNetworkError(err)) {
    return new ChannelError(`SMTP server unreachable (${e.code ?? 'network error'})`, {
      retryable: true,
      provider: PROVIDER,
      ...(e.code ? { providerCode: e.code } : {}),
    });
  }
  // Unknown failure before the server accepted anything: retrying is the safe default,
  // the job's retry limit bounds it.
  return new ChannelError(`SMTP send failed (${e.code ?? 'unknown'})`, {
    retryable: true,
    provider: PROVIDER,
    ...(e.code ? { providerCode: e.code } : {}),
  });
}

function domainOf(address: string | undefined): string | undefined {
  const at = address?.lastIndexOf('@') ?? -1;
  return at > 0 ? address?.slice(at + 1) : undefined;
}

export class EmailChannel implements Channel {
  readonly kind = 'email' as const;
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly log: Logger | undefined;

  constructor(private readonly opts: EmailChannelOptions) {
    this.transport = createSmtpTransport(opts.smtp);
    this.log = opts.logger?.child(
      { module: 'channels.email', smtp: describeSmtp(opts.smtp) },
      { redact: REDACT },
    );
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const { sender, recipient, content } = message;
    const to = recipient.email;
    if (!to) {
      throw new ChannelError('recipient has no email address', {
        retryable: false,
        invalidAddress: true,
        provider: PROVIDER,
      });
    }
    if (!sender.email) {
      throw new ChannelError(`organisation ${sender.orgId} has no sender email address`, {
        retryable: false,
        provider: PROVIDER,
      });
    }
    const domain =
      sender.replyDomain ?? domainOf(sender.email) ?? this.opts.fallbackDomain ?? 'relance.invalid';
    const messageId = buildMessageId({
      idempotencyKey: message.idempotencyKey,
      domain,
      ...(message.replyToken ? { replyToken: message.replyToken } : {}),
    });
    const replyTo =
      message.replyToken && sender.replyDomain
        ? replyAddress(message.replyToken, sender.replyDomain, this.opts.replyLocalPart)
        : sender.email;
    const headers: Record<string, string> = {
      // RFC 3834: tells auto-responders this is machine-sent, so out-of-office loops stop here.
      'Auto-Submitted': 'auto-generated',
    };
    if (message.replyToken) headers['X-Relance-Token'] = message.replyToken;

    try {
      const info = await this.transport.sendMail({
        messageId,
        from: { name: sender.name, address: sender.email },
        to: recipient.name ? { name: recipient.name, address: to } : to,
        replyTo: sender.name ? { name: sender.name, address: replyTo } : replyTo,
        subject: content.subject ?? '',
        text: content.text ?? '',
        ...(content.html
          ? {
              html: this.opts.tracking
                ? instrumentHtml(content.html, this.opts.tracking, {
                    orgId: sender.orgId,
                    deliveryKey: message.idempotencyKey,
                  })
                : content.html,
            }
          : {}),
        headers,
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          content: a.content,
          contentType: a.contentType,
        })),
      });
      const accepted = ((info.accepted ?? []) as (string | { address: string })[]).map((a) =>
        (typeof a === 'string' ? a : a.address).toLowerCase(),
      );
      if (!accepted.includes(to.toLowerCase())) {
        // Nothing is reported as sent that the server did not accept.
        throw new ChannelError('SMTP server did not accept the recipient', {
          retryable: false,
          invalidAddress: true,
          provider: PROVIDER,
        });
      }
      const acceptedAt = new Date();
      this.log?.info(
        { messageId, orgId: sender.orgId, idempotencyKey: message.idempotencyKey },
        'email accepted',
      );
      return {
        status: 'sent',
        provider: PROVIDER,
        providerMessageId: info.messageId || messageId,
        acceptedAt,
      };
    } catch (err) {
      const failure = err instanceof ChannelError ? err : classifySmtpError(err);
      this.log?.warn(
        {
          orgId: sender.orgId,
          idempotencyKey: message.idempotencyKey,
          retryable: failure.retryable,
          invalidAddress: failure.invalidAddress,
          providerCode: failure.providerCode,
        },
        failure.message,
      );
      throw failure;
    }
  }

  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  close(): void {
    this.transport.close();
  }
}
