import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OrgChannelSettings } from '../../channels/registry.js';

/**
 * The secret a provider or relay signs email event webhooks with: the organisation's own
 * (settings.channels.email.webhookSecret) or, when it has none, one derived from the
 * instance secret (RELANCE_SECRET) and the organisation id — distinct per organisation, so
 * one tenant's relay cannot post events for another. Null when neither exists: the
 * webhook then refuses everything.
 */
export function emailWebhookSecret(
  settings: OrgChannelSettings,
  orgId: string,
  appSecret: string | undefined,
): string | null {
  if (settings.email?.webhookSecret) return settings.email.webhookSecret;
  if (!appSecret) return null;
  return createHmac('sha256', appSecret).update(`email-webhook:${orgId}`).digest('hex');
}

/** hex HMAC-SHA256 of the raw body; accepts a bare hex digest or "sha256=<hex>". Constant time. */
export function verifyBodySignature(secret: string, rawBody: string, given: string | undefined): boolean {
  if (!given) return false;
  const hex = given
    .trim()
    .toLowerCase()
    .replace(/^sha256=/, '');
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('hex'));
  const actual = Buffer.from(hex);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function signBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
