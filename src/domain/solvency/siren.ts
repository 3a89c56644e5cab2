/**
 * SIREN (9 digits) and SIRET (14 digits) keys. Both end with a Luhn check digit (INSEE,
 * "Le numéro SIREN" / décret 73-314); the only exception is La Poste (SIREN 356000000),
 * whose many establishments are numbered so that the SIRET digit sum is a multiple of 5.
 */
export const LA_POSTE_SIREN = '356000000';

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Spaces, dots and non-breaking spaces removed: "732 829 320" → "732829320". */
export const normaliseCompanyNumber = (s: string): string => s.replace(/[\s.\u00a0\u202f-]/g, '');

/** Why a SIREN is not valid, or null. */
export function sirenProblem(raw: string): string | null {
  const s = normaliseCompanyNumber(raw);
  if (!/^\d{9}$/.test(s)) return 'a SIREN has 9 digits';
  if (!luhnValid(s)) return 'the SIREN check digit is wrong (Luhn key)';
  return null;
}

/** Why a SIRET is not valid, or null. */
export function siretProblem(raw: string): string | null {
  const s = normaliseCompanyNumber(raw);
  if (!/^\d{14}$/.test(s)) return 'a SIRET has 14 digits';
  const siren = s.slice(0, 9);
  if (siren === LA_POSTE_SIREN) {
    let sum = 0;
    for (const ch of s) sum += ch.charCodeAt(0) - 48;
    return sum % 5 === 0 ? null : 'the SIRET check digit is wrong (La Poste rule: digit sum multiple of 5)';
  }
  if (sirenProblem(siren) !== null) return 'the SIREN part (first 9 digits) has a wrong check digit';
  if (!luhnValid(s)) return 'the SIRET check digit is wrong (Luhn key)';
  return null;
}

export const isValidSiren = (s: string) => sirenProblem(s) === null;
export const isValidSiret = (s: string) => siretProblem(s) === null;
