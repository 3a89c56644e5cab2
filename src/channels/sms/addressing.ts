/**
 * Alphanumeric sender ids are limited to 11 characters by the GSM TP-OA field (TS 23.040
 * §9.1.2.5: 11 GSM characters in 10 octets); numeric senders are E.164 numbers (≤ 15
 * digits). In France operators reject alphanumeric ids that are all digits or contain
 * anything but letters, digits and spaces, and require at least one letter.
 */
export type SenderIdCheck = { ok: true; kind: 'alphanumeric' | 'numeric' } | { ok: false; reason: string };

export function checkSenderId(id: string): SenderIdCheck {
  if (/^\+?[1-9][0-9]{3,14}$/.test(id)) return { ok: true, kind: 'numeric' };
  if (id.length === 0) return { ok: false, reason: 'sender id is empty' };
  if (id.length > 11) return { ok: false, reason: `sender id "${id}" is longer than 11 characters` };
  if (!/^[A-Za-z0-9 ]+$/.test(id)) {
    return { ok: false, reason: `sender id "${id}" may only hold unaccented letters, digits and spaces` };
  }
  if (!/[A-Za-z]/.test(id)) return { ok: false, reason: `sender id "${id}" needs at least one letter` };
  if (id !== id.trim()) return { ok: false, reason: `sender id "${id}" starts or ends with a space` };
  return { ok: true, kind: 'alphanumeric' };
}

/** E.164: '+', country code, subscriber number, 8 to 15 digits in all (ITU-T E.164 §6). */
export function isE164(phone: string): boolean {
  return /^\+[1-9][0-9]{7,14}$/.test(phone);
}

/**
 * Normalise a French national number (06 12 34 56 78, 0033 6…) to E.164; other numbers must
 * already carry their '+' prefix. Returns null when the input is not a usable number.
 */
export function normalisePhone(input: string, defaultCountry: 'FR' | null = 'FR'): string | null {
  const compact = input.replace(/[\s.\-()]/g, '');
  if (compact.startsWith('00')) return normalisePhone(`+${compact.slice(2)}`, null);
  if (compact.startsWith('+')) return isE164(compact) ? compact.replace(/^\+330/, '+33') : null;
  if (defaultCountry === 'FR' && /^0[1-9][0-9]{8}$/.test(compact)) return `+33${compact.slice(1)}`;
  return null;
}

/** French mobile ranges (06, 07; ARCEP numbering plan): only those receive SMS reliably. */
export function isFrenchMobile(e164: string): boolean {
  return /^\+33[67][0-9]{8}$/.test(e164);
}
