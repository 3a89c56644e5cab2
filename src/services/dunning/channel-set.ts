import type { Logger } from 'pino';
import { createChannels, parseOrgChannelSettings } from '../../channels/registry.js';
import type { Organisation } from '../../db/queries/organisations.js';
import type { ChannelSet } from './deliver-actions.js';

export type ChannelResolver = (org: Organisation) => ChannelSet;

/**
 * The channels an organisation delivers with: its own settings (settings.channels: SMTP,
 * SMS provider) first, the instance's SMTP_URL otherwise; letters always (rendered to PDF
 * and queued for printing when no postal provider is configured). One set per organisation
 * and settings version, reused across deliveries.
 */
export function channelSetFromConfig(
  config: {
    SMTP_URL?: string | undefined;
    PUBLIC_URL?: string | undefined;
    RELANCE_SECRET?: string | undefined;
  },
  log: Logger,
): ChannelResolver {
  const cache = new Map<string, { stamp: string; set: ChannelSet }>();
  return (org) => {
    const stamp = JSON.stringify((org.settings as { channels?: unknown } | null)?.channels ?? null);
    const hit = cache.get(org.id);
    if (hit && hit.stamp === stamp) return hit.set;
    const c = createChannels({
      ...(config.SMTP_URL ? { smtpUrl: config.SMTP_URL } : {}),
      org: parseOrgChannelSettings(org.settings),
      ...(config.PUBLIC_URL ? { smsStatusCallbackBase: `${config.PUBLIC_URL}/hooks/sms/${org.id}` } : {}),
      ...(config.PUBLIC_URL && config.RELANCE_SECRET
        ? { tracking: { baseUrl: config.PUBLIC_URL, secret: config.RELANCE_SECRET } }
        : {}),
      logger: log,
    });
    const set: ChannelSet = {
      letter: c.letter,
      ...(c.email ? { email: c.email } : {}),
      ...(c.sms ? { sms: c.sms } : {}),
    };
    cache.set(org.id, { stamp, set });
    return set;
  };
}
