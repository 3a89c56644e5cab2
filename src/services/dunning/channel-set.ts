import type { Logger } from 'pino';
import { EmailChannel } from '../../channels/email/email-channel.js';
import { parseSmtpUrl } from '../../channels/email/smtp-settings.js';
import { LetterChannel } from '../../channels/letter/letter-channel.js';
import type { ChannelSet } from './deliver-actions.js';

/**
 * The channels a process can deliver with: email when SMTP_URL is set, letters always
 * (rendered to PDF and queued for printing when no postal provider is configured). SMS
 * needs a provider account and is added by the caller when configured.
 */
export function channelSetFromConfig(
  config: { SMTP_URL?: string | undefined },
  log: Logger,
  extra: ChannelSet = {},
): ChannelSet {
  return {
    ...(config.SMTP_URL
      ? { email: new EmailChannel({ smtp: parseSmtpUrl(config.SMTP_URL), logger: log }) }
      : {}),
    letter: new LetterChannel(),
    ...extra,
  };
}
