import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Open and click tracking for email, opt-in per organisation (settings.channels.email.tracking;
 * off by default: a tracking pixel tells the sender when and where a person read a message,
 * which a debtor has not asked for). A token names the delivery — organisation and
 * the message's idempotency key — and is signed with the application secret, so nobody
 * can mark someone else's message as opened. Link targets are signed too: the click
 * endpoint only redirects to URLs that were in the message (no open redirect).
 */
export interface EmailTracking {
  /** Public base URL of this server, e.g. https://relance.example. */
  baseUrl: string;
  secret: string;
}

export interface TrackingRef {
  orgId: string;
  deliveryKey: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

function mac(secret: string, label: string, data: string, bytes = 12): string {
  return createHmac('sha256', secret)
    .update(`${label}:${data}`)
    .digest()
    .subarray(0, bytes)
    .toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function trackingToken(secret: string, ref: TrackingRef): string {
  const payload = b64(`${ref.orgId}|${ref.deliveryKey}`);
  return `${payload}.${mac(secret, 'track', payload)}`;
}

export function verifyTrackingToken(secret: string, token: string): TrackingRef | null {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined || !same(mac(secret, 'track', payload), given)) return null;
  const [orgId, deliveryKey] = unb64(payload).split('|');
  if (!orgId || !deliveryKey) return null;
  return { orgId, deliveryKey };
}

export function linkSignature(secret: string, token: string, url: string): string {
  return mac(secret, 'link', `${token}|${url}`);
}

export function verifyLinkSignature(secret: string, token: string, url: string, sig: string): boolean {
  return same(linkSignature(secret, token, url), sig);
}

export const TRACKING_PATH = '/hooks/t';

// The token travels in the query string: path parameters are capped at 100 characters.
export function pixelUrl(t: EmailTracking, token: string): string {
  return `${t.baseUrl.replace(/\/$/, '')}${TRACKING_PATH}/o.gif?t=${token}`;
}

export function clickUrl(t: EmailTracking, token: string, url: string): string {
  const q = new URLSearchParams({ t: token, u: url, s: linkSignature(t.secret, token, url) });
  return `${t.baseUrl.replace(/\/$/, '')}${TRACKING_PATH}/c?${q.toString()}`;
}

const HREF_RE = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi;

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

function encodeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/**
 * Wrap every http(s) link of the HTML part in a signed redirect and add a 1×1 pixel before
 * </body>. The plain-text part is left alone: rewriting visible URLs would make them
 * unreadable, and the HTML part is what nearly every reader opens.
 */
export function instrumentHtml(html: string, t: EmailTracking, ref: TrackingRef): string {
  const token = trackingToken(t.secret, ref);
  const linked = html.replace(HREF_RE, (_m, start: string, quote: string, url: string) => {
    const target = decodeEntities(url);
    return `${start}${quote}${encodeAttr(clickUrl(t, token, target))}${quote}`;
  });
  const pixel = `<img src="${encodeAttr(pixelUrl(t, token))}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;
  return /<\/body>/i.test(linked) ? linked.replace(/<\/body>/i, `${pixel}</body>`) : `${linked}${pixel}`;
}

/** The 1×1 transparent GIF served for every pixel request, valid or not. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
