/**
 * The number La Poste prints on a registered letter's deposit slip (preuve de dépôt), in the
 * two forms a French collector meets:
 * - domestic recommandé: one digit, one letter, eleven digits ("1A 012 345 678 90",
 *   `1A…`/`1K…`/`2C…` by product and level of compensation);
 * - international registered mail, UPU standard S10: two letters, eight digits, a check digit
 *   and the origin country ("RR 123 456 785 FR").
 * Spaces and dashes are how the number is printed; they are not part of it.
 */
export type TrackingNumberKind = 'domestic' | 'international';

const DOMESTIC = /^\d[A-Z]\d{11}$/;
const S10 = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/;
const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

export function normaliseTrackingNumber(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

/** UPU S10 check digit: weighted sum mod 11, 11 − r, with 10 → 0 and 11 → 5. */
export function s10CheckDigit(serial: string): number {
  let sum = 0;
  for (const [i, w] of S10_WEIGHTS.entries()) sum += Number(serial[i]) * w;
  const c = 11 - (sum % 11);
  return c === 10 ? 0 : c === 11 ? 5 : c;
}

export type TrackingNumberCheck =
  | { ok: true; value: string; kind: TrackingNumberKind }
  | { ok: false; reason: 'format' | 'check_digit' };

/** Normalises and checks a tracking number typed by a collector. */
export function checkTrackingNumber(raw: string): TrackingNumberCheck {
  const value = normaliseTrackingNumber(raw);
  if (DOMESTIC.test(value)) return { ok: true, value, kind: 'domestic' };
  const s10 = S10.exec(value);
  if (!s10) return { ok: false, reason: 'format' };
  if (s10CheckDigit(s10[1] ?? '') !== Number(s10[2])) return { ok: false, reason: 'check_digit' };
  return { ok: true, value, kind: 'international' };
}

export const TRACKING_NUMBER_HINT =
  'La Poste registered-letter number: 1 digit, 1 letter, 11 digits (1A 012 345 678 90) or RR 123 456 785 FR';
