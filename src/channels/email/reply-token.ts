import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Reply tokens tie a debtor's answer to the message it answers. A token is
 * `<id>-<mac>`: the id of the outbound message (a UUID compacted to 32 hex digits) and a
 * truncated HMAC-SHA256 of it under the application secret, so nobody can forge a token
 * that files a reply on another customer's timeline. Lowercase base32 only: some mail
 * servers lowercase the local part, and the whole plus-address must stay within the 64
 * characters RFC 5321 §4.5.3.1.1 allows for a local part.
 */
const MAC_BYTES = 10; // 80 bits: forging needs ~2^80 tries against an online endpoint.
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAYLOAD_RE = /^[a-z0-9]{1,40}$/;
const TOKEN_RE = /^([a-z0-9]{1,40})-([a-z2-7]{16})$/;
/** Our Message-IDs look like `<rl.<token>@domain>` so replies carry the token in References. */
const MESSAGE_ID_PREFIX = 'rl.';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function mac(payload: string, secret: string): string {
  return base32(
    createHmac('sha256', secret).update(`reply-token:${payload}`).digest().subarray(0, MAC_BYTES),
  );
}

function compact(id: string): string {
  const lower = id.toLowerCase();
  return UUID_RE.test(lower) ? lower.replaceAll('-', '') : lower;
}

function expand(payload: string): string {
  if (!/^[0-9a-f]{32}$/.test(payload)) return payload;
  return `${payload.slice(0, 8)}-${payload.slice(8, 12)}-${payload.slice(12, 16)}-${payload.slice(16, 20)}-${payload.slice(20)}`;
}

function requireSecret(secret: string): void {
  if (secret.length < 16) throw new RangeError('reply token secret must be at least 16 characters');
}

/** Token for an outbound message id (a UUID, or up to 40 characters of [a-z0-9]). */
export function createReplyToken(id: string, secret: string): string {
  requireSecret(secret);
  const payload = compact(id);
  if (!PAYLOAD_RE.test(payload))
    throw new RangeError(`reply token id must be a UUID or [a-z0-9]{1,40}: ${id}`);
  return `${payload}-${mac(payload, secret)}`;
}

/** The message id a token stands for, or null when it is malformed or its MAC is wrong. */
export function verifyReplyToken(token: string, secret: string): string | null {
  requireSecret(secret);
  const m = TOKEN_RE.exec(token.trim().toLowerCase());
  if (!m) return null;
  const [, payload = '', given = ''] = m;
  const expected = Buffer.from(mac(payload, secret));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return expand(payload);
}

export function replyAddress(token: string, domain: string, localBase = 'relance'): string {
  return `${localBase}+${token}@${domain}`;
}

/**
 * Message-ID for an outbound email: carries the reply token when there is one (so a reply
 * that drops our Reply-To still finds its way back through In-Reply-To/References), else a
 * hash of the idempotency key, so a retried send reuses the same id.
 */
export function buildMessageId(opts: {
  idempotencyKey: string;
  replyToken?: string;
  domain: string;
}): string {
  const local = opts.replyToken
    ? `${MESSAGE_ID_PREFIX}${opts.replyToken}`
    : `${MESSAGE_ID_PREFIX}${createHash('sha256').update(opts.idempotencyKey).digest('hex').slice(0, 32)}`;
  return `<${local}@${opts.domain}>`;
}

export interface InboundEnvelope {
  /** Every recipient address (envelope RCPT TO, To, Cc, Delivered-To…), bare or "Name <a@b>". */
  recipients: string[];
  inReplyTo?: string;
  references?: string | string[];
  /** Header X-Relance-Token if a client preserved it (some do on reply-all; rarely). */
  tokenHeader?: string;
}

export type ReplyTokenSource = 'address' | 'in-reply-to' | 'references' | 'header';

export interface ExtractedReplyToken {
  token: string;
  id: string;
  source: ReplyTokenSource;
}

const ADDRESS_RE = /([^\s<>"',;]+)@([^\s<>"',;]+)/g;
const MSGID_RE = /<([^<>\s]+)@[^<>\s]+>/g;

function candidatesFromAddresses(recipients: string[]): string[] {
  const out: string[] = [];
  for (const r of recipients) {
    for (const m of r.matchAll(ADDRESS_RE)) {
      const local = m[1] ?? '';
      const plus = local.indexOf('+');
      if (plus >= 0) out.push(local.slice(plus + 1));
    }
  }
  return out;
}

function candidatesFromMessageIds(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const out: string[] = [];
  for (const m of text.matchAll(MSGID_RE)) {
    const local = (m[1] ?? '').toLowerCase();
    if (local.startsWith(MESSAGE_ID_PREFIX)) out.push(local.slice(MESSAGE_ID_PREFIX.length));
  }
  // The last reference is the message directly answered: prefer it over older ones.
  return out.reverse();
}

/**
 * Find and verify the reply token of an inbound message. Sources in order of trust: our
 * plus-address (the debtor answered our Reply-To), In-Reply-To, References, then the
 * X-Relance-Token header. Forged or corrupted tokens are skipped, never trusted.
 */
export function extractReplyToken(inbound: InboundEnvelope, secret: string): ExtractedReplyToken | null {
  const sources: [ReplyTokenSource, string[]][] = [
    ['address', candidatesFromAddresses(inbound.recipients)],
    ['in-reply-to', candidatesFromMessageIds(inbound.inReplyTo)],
    ['references', candidatesFromMessageIds(inbound.references)],
    ['header', inbound.tokenHeader ? [inbound.tokenHeader] : []],
  ];
  for (const [source, candidates] of sources) {
    for (const token of candidates) {
      const id = verifyReplyToken(token, secret);
      if (id) return { token: token.trim().toLowerCase(), id, source };
    }
  }
  return null;
}
