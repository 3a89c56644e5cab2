/**
 * ISO 7064 MOD 97-10, the check shared by IBAN (ISO 13616) and the structured creditor
 * reference (ISO 11649): letters become two digits (A=10 … Z=35) and the whole number is
 * reduced modulo 97 piecewise, so no big integers are needed.
 */
export function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const char of alphanumeric) {
    const code = char.charCodeAt(0);
    let digits: string;
    if (code >= 48 && code <= 57) digits = char;
    else if (code >= 65 && code <= 90) digits = String(code - 55);
    else throw new RangeError(`mod97 accepts only 0-9 and A-Z, got "${char}"`);
    for (const d of digits) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder;
}

/** Two check digits ("02"…"98") that make `body + prefix + digits` reduce to 1. */
export function mod97CheckDigits(body: string, prefix: string): string {
  const check = 98 - mod97(`${body}${prefix}00`);
  return String(check).padStart(2, '0');
}

/** Groups of four separated by a space, the print form of ISO 13616 and ISO 11649. */
export function groupsOfFour(compact: string): string {
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}
