/**
 * SMS length rules (3GPP TS 23.038 / 23.040): a message is GSM-7 when every character is
 * in the GSM 03.38 default alphabet or its extension table (extension characters take two
 * septets, an escape plus the character); otherwise the whole message is UCS-2. One
 * segment holds 160 septets (GSM-7) or 70 UTF-16 units (UCS-2); a concatenated message
 * loses room to its header: 153 septets or 67 units per segment.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set([...GSM7_BASIC]);
const extension = new Set([...GSM7_EXTENSION]);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsInfo {
  text: string;
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/** Typography that has a GSM-7 equivalent, so a French text does not fall into UCS-2 for a space. */
export function toSmsFriendly(text: string): string {
  return text
    .replace(/[\u00a0\u202f\u2007\u2009]/g, ' ')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d\u00ab\u00bb]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2026/g, '...');
}

export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Cost of each character in the encoding's units: never split an escape pair or a surrogate pair. */
function costs(text: string, encoding: SmsEncoding): number[] {
  return [...text].map((ch) => (encoding === 'GSM-7' ? (extension.has(ch) ? 2 : 1) : ch.length));
}

function segmentCount(cs: number[], encoding: SmsEncoding): number {
  const total = cs.reduce((a, b) => a + b, 0);
  const single = encoding === 'GSM-7' ? 160 : 70;
  const multi = encoding === 'GSM-7' ? 153 : 67;
  if (total === 0) return 0;
  if (total <= single) return 1;
  let segments = 1;
  let used = 0;
  for (const c of cs) {
    if (used + c > multi) {
      segments++;
      used = 0;
    }
    used += c;
  }
  return segments;
}

export function smsInfo(text: string): SmsInfo {
  const encoding = smsEncoding(text);
  const cs = costs(text, encoding);
  return { text, encoding, units: cs.reduce((a, b) => a + b, 0), segments: segmentCount(cs, encoding) };
}

/**
 * The longest prefix of `text` that fits in `maxSegments`, ending with an ellipsis when
 * cut, cut at a word boundary when one is near, never inside an escape or surrogate pair.
 */
export function truncateSms(text: string, maxSegments: number): SmsInfo & { truncated: boolean } {
  const info = smsInfo(text);
  if (info.segments <= maxSegments) return { ...info, truncated: false };
  const ellipsis = info.encoding === 'GSM-7' ? '...' : '…';
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  // Binary search on the number of characters kept: segment count grows with length.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const candidate = chars.slice(0, mid).join('').trimEnd() + ellipsis;
    if (smsInfo(candidate).segments <= maxSegments) lo = mid;
    else hi = mid - 1;
  }
  let kept = chars.slice(0, lo).join('');
  const lastSpace = kept.lastIndexOf(' ');
  if (lastSpace > kept.length - 20 && lastSpace > 0) kept = kept.slice(0, lastSpace);
  const out = kept.trimEnd() + ellipsis;
  return { ...smsInfo(out), truncated: true };
}
