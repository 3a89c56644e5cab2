import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Channel, ChannelKind } from './channel.js';
import { EmailChannel } from './email/email-channel.js';
import { parseSmtpUrl, type SmtpSettings } from './email/smtp-settings.js';
import type { EmailTracking } from './email/tracking.js';
import { LetterChannel } from './letter/letter-channel.js';
import type { PostalProvider } from './letter/postal-provider.js';
import type { LetterFonts } from './letter/render-letter.js';
import { BrevoSmsProvider } from './sms/brevo.js';
import type { SmsProvider } from './sms/provider.js';
import { SmsChannel } from './sms/sms-channel.js';
import { TwilioSmsProvider } from './sms/twilio.js';

/**
 * Channel settings an organisation may keep in organisations.settings.channels, overriding
 * the instance-wide SMTP_URL. Secrets stored there are the organisation's own.
 */
export const orgChannelSettingsSchema = z.object({
  smtp: z
    .object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      secure: z.boolean().default(false),
      requireTls: z.boolean().optional(),
      user: z.string().optional(),
      pass: z.string().optional(),
    })
    .optional(),
  sms: z
    .discriminatedUnion('provider', [
      z.object({
        provider: z.literal('twilio'),
        accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'a Twilio Account SID is AC + 32 hex digits'),
        authToken: z.string().min(1),
        messagingServiceSid: z.string().optional(),
        baseUrl: z.string().url().optional(),
      }),
      z.object({
        provider: z.literal('brevo'),
        apiKey: z.string().min(1),
        webhookSecret: z.string().min(16),
        baseUrl: z.string().url().optional(),
      }),
    ])
    .optional(),
  email: z
    .object({
      /** Shared secret of the signed bounce/complaint webhook (/hooks/email/<orgId>). */
      webhookSecret: z.string().min(16).optional(),
      /** Open pixel and click redirects: off unless the organisation opts in (privacy). */
      tracking: z.boolean().default(false),
    })
    .optional(),
});
export type OrgChannelSettings = z.infer<typeof orgChannelSettingsSchema>;

export function parseOrgChannelSettings(settings: unknown): OrgChannelSettings {
  const raw = (settings as { channels?: unknown } | null)?.channels ?? {};
  const parsed = orgChannelSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    // Field paths only: values may be secrets.
    throw new AppError(
      'VALIDATION',
      'invalid channel settings',
      parsed.error.issues.map((i) => ({ field: `settings.channels.${i.path.join('.')}`, reason: i.message })),
    );
  }
  return parsed.data;
}

export interface ChannelsOptions {
  /** Instance default (config.SMTP_URL). */
  smtpUrl?: string;
  org?: OrgChannelSettings;
  /** Open/click tracking for organisations that opted in (settings.channels.email.tracking). */
  tracking?: EmailTracking;
  /** Public base for provider receipts, e.g. https://relance.example/hooks/sms/<orgId>. */
  smsStatusCallbackBase?: string;
  isOptedOut?: (orgId: string, phone: string) => Promise<boolean>;
  postal?: PostalProvider;
  fonts?: LetterFonts;
  logger?: Logger;
}

export interface Channels {
  email?: EmailChannel;
  sms?: SmsChannel;
  smsProvider?: SmsProvider;
  letter: LetterChannel;
  get(kind: ChannelKind): Channel | undefined;
  close(): void;
}

/** The organisation's SMS provider, if it configured one (webhooks need only this). */
export function smsProviderOf(org: OrgChannelSettings | undefined): SmsProvider | undefined {
  const s = org?.sms;
  if (s?.provider === 'twilio') return new TwilioSmsProvider(s);
  if (s?.provider === 'brevo') return new BrevoSmsProvider(s);
  return undefined;
}

/** Build the channels of one organisation: its own settings first, the instance's otherwise. */
export function createChannels(o: ChannelsOptions): Channels {
  let smtp: SmtpSettings | undefined;
  if (o.org?.smtp) smtp = { ...o.org.smtp };
  else if (o.smtpUrl) smtp = parseSmtpUrl(o.smtpUrl);
  const tracking = o.org?.email?.tracking && o.tracking ? o.tracking : undefined;
  const email = smtp
    ? new EmailChannel({ smtp, ...(o.logger ? { logger: o.logger } : {}), ...(tracking ? { tracking } : {}) })
    : undefined;

  const smsProvider = smsProviderOf(o.org);
  const sms = smsProvider
    ? new SmsChannel({
        provider: smsProvider,
        ...(o.smsStatusCallbackBase
          ? { statusCallbackUrl: `${o.smsStatusCallbackBase}/${smsProvider.name}` }
          : {}),
        ...(o.isOptedOut ? { isOptedOut: o.isOptedOut } : {}),
        ...(o.logger ? { logger: o.logger } : {}),
      })
    : undefined;
  const letter = new LetterChannel({
    ...(o.postal ? { postal: o.postal } : {}),
    ...(o.fonts ? { fonts: o.fonts } : {}),
  });
  return {
    ...(email ? { email } : {}),
    ...(sms ? { sms } : {}),
    ...(smsProvider ? { smsProvider } : {}),
    letter,
    get(kind) {
      return kind === 'email' ? email : kind === 'sms' ? sms : letter;
    },
    close() {
      email?.close();
    },
  };
}
