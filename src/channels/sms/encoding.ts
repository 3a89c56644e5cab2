/**
 * SMS encoding and segment counting (3GPP TS 23.038 for the alphabets, TS 23.040 for
 * concatenation). A message that fits the GSM 7-bit default alphabet (plus its extension
 * table, each extension character costing an escape + the character = 2 septets) is sent
 * as GSM-7: 160 septets in one SMS, 153 per part once split (the 6-byte concatenation
 * header eats 7 septets). Anything else goes as UCS-2: 70 UTF-16 units, 67 per part.
 * Billing follows segments, so the planner can show the cost before sending.
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(Array.from(GSM_BASIC));
const extension = new Set(Array.from(GSM_EXTENSION));

export const GSM7_SINGLE = 160;
export const GSM7_MULTI = 153;
export const UCS2_SINGLE = 70;
export const UCS2_MULTI = 67;

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!basic.has(ch) && !extension.has(ch)) return false;
  return true;
}

export function detectEncoding(text: string): SmsEncoding {
  return isGsm7(text) ? 'GSM-7' : 'UCS-2';
}

export interface SegmentInfo {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** Units left in the last segment before one more is needed. */
  remaining: number;
}

/**
 * Count segments the way handsets split: an escape pair (GSM-7) or a surrogate pair
 * (UCS-2) is never cut across two parts, so a part may carry one unit less than the limit.
 */
export function countSegments(text: string): SegmentInfo {
  const encoding = detectEncoding(text);
  const costs: number[] = [];
  for (const ch of text) {
    if (encoding === 'GSM-7') costs.push(extension.has(ch) ? 2 : 1);
    else costs.push(ch.length); // 2 for astral characters (surrogate pair), else 1
  }
  const units = costs.reduce((a, b) => a + b, 0);
  const single = encoding === 'GSM-7' ? GSM7_SINGLE : UCS2_SINGLE;
  const multi = encoding === 'GSM-7' ? GSM7_MULTI : UCS2_MULTI;
  if (units <= single) return { encoding, units, segments: 1, remaining: single - units };
  let segments = 1;
  let used = 0;
  for (const c of costs) {
    if (used + c > multi) {
      segments++;
      used = 0;
    }
    used += c;
  }
  return { encoding, units, segments, remaining: multi - used };
}

/** Common French characters outside GSM-7 and their nearest GSM-7 spelling. */
const GSM_FALLBACK: Record<string, string> = {
  ç: 'c',
  â: 'a',
  ê: 'e',
  ë: 'e',
  î: 'i',
  ï: 'i',
  ô: 'o',
  û: 'u',
  ÿ: 'y',
  À: 'A',
  Â: 'A',
  È: 'E',
  Ê: 'E',
  Ë: 'E',
  Î: 'I',
  Ï: 'I',
  Ô: 'O',
  Ù: 'U',
  Û: 'U',
  œ: 'oe',
  Œ: 'OE',
  '’': "'",
  '‘': "'",
  '“': '"',
  '”': '"',
  '«': '"',
  '»': '"',
  '–': '-',
  '—': '-',
  '…': '...',
  '\u00a0': ' ',
  '\u202f': ' ',
};

/**
 * Rewrite text into GSM-7 where a faithful equivalent exists, so a French reminder costs
 * one segment instead of three. Characters with no equivalent are kept (the message then
 * stays UCS-2): meaning beats price.
 */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) out += basic.has(ch) || extension.has(ch) ? ch : (GSM_FALLBACK[ch] ?? ch);
  return out;
}
