/**
 * French company identifiers with valid check digits, so demo data passes the same
 * validation as real data (SIREN/SIRET: Luhn; VAT: key from the SIREN; IBAN: ISO 13616).
 */

function luhnCheckDigit(partial: string): number {
  let sum = 0;
  // Digits are doubled from the right, starting with the one next to the check digit.
  for (let i = partial.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(partial[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isLuhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/** Complete 8 digits into a 9-digit SIREN (or 13 into a 14-digit SIRET). */
export function withLuhnDigit(partial: string): string {
  return partial + String(luhnCheckDigit(partial));
}

/** Intra-community VAT number: FR + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97. */
export function frenchVatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

function mod97(numeric: string): number {
  let r = 0;
  for (const ch of numeric) r = (r * 10 + Number(ch)) % 97;
  return r;
}

function lettersToDigits(s: string): string {
  return s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
}

export function isIbanValid(iban: string): boolean {
  const s = iban.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  return mod97(lettersToDigits(s.slice(4) + s.slice(0, 4))) === 1;
}

/** French IBAN from a RIB (bank 5 digits, branch 5, account 11 alphanumerics); computes the
 * RIB key and the IBAN check digits. */
export function frenchIban(bank: string, branch: string, account: string): string {
  // RIB key: letters in the account map to digits by the banking table (A,J→1 … I,R→9).
  const acc = account.toUpperCase().replace(/[A-Z]/g, (c) => {
    const table = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5, 6, 7, 8, 9];
    return String(values[table.indexOf(c)]);
  });
  const ribKey = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(acc)) % 97);
  const bban = `${bank}${branch}${account.toUpperCase()}${String(ribKey).padStart(2, '0')}`;
  const check = 98 - mod97(lettersToDigits(`${bban}FR00`));
  return `FR${String(check).padStart(2, '0')}${bban}`;
}
