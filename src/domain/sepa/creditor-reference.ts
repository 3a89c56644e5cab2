import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';
import { groupsOfFour, mod97, mod97CheckDigits } from './mod97.js';

/**
 * ISO 11649 structured creditor reference: "RF", two check digits (ISO 7064 MOD 97-10),
 * then a reference of 1 to 21 letters or digits. At most 25 characters in electronic form.
 */
const MAX_BASE_LENGTH = 21;

/** Electronic form: upper case, no spaces. */
export function normalizeCreditorReference(input: string): string {
  return input.replace(/[\s\u00a0]+/g, '').toUpperCase();
}

export type CreditorReferenceProblem = 'format' | 'check-digits' | 'checksum';

export function creditorReferenceProblem(input: string): CreditorReferenceProblem | null {
  const ref = normalizeCreditorReference(input);
  if (!/^RF[0-9]{2}[A-Z0-9]{1,21}$/.test(ref)) return 'format';
  // MOD 97-10 check digits are 02…98; 00, 01 and 99 cannot be produced by the algorithm.
  const check = Number(ref.slice(2, 4));
  if (check < 2 || check > 98) return 'check-digits';
  if (mod97(ref.slice(4) + ref.slice(0, 4)) !== 1) return 'checksum';
  return null;
}

export function isValidCreditorReference(input: string): boolean {
  return creditorReferenceProblem(input) === null;
}

/** Print form, "RF18 5390 0754 7034". */
export function formatCreditorReference(input: string): string {
  return groupsOfFour(normalizeCreditorReference(input));
}

/** The reference the creditor chose, without "RF" and the check digits. */
export function creditorReferenceBase(input: string): string {
  return normalizeCreditorReference(input).slice(4);
}

/** "RF" + check digits + base; the base must already be 1-21 letters or digits. */
export function createCreditorReference(base: string): string {
  const normalized = normalizeCreditorReference(base);
  if (!/^[A-Z0-9]+$/.test(normalized) || normalized.length > MAX_BASE_LENGTH) {
    throw new AppError('VALIDATION', 'A creditor reference base is 1 to 21 letters or digits', [
      { field: 'reference', value: base, reason: 'must be 1 to 21 characters A-Z or 0-9' },
    ]);
  }
  return `RF${mod97CheckDigits(normalized, 'RF')}${normalized}`;
}

/** 20 base-36 characters (about 103 bits) of a SHA-256 digest, enough to make collisions moot. */
function digest36(text: string): string {
  const hex = createHash('sha256').update(text, 'utf8').digest('hex');
  return BigInt(`0x${hex}`).toString(36).toUpperCase().padStart(20, '0').slice(0, 20);
}

/**
 * The reference that identifies one customer of one organisation, for transfers that pay
 * whatever the customer owes. A short alphanumeric customer reference stays readable
 * ("C" + reference); anything else is hashed ("H" + digest) so that "A-1" and "A1" never
 * share a reference. The organisation id is part of the hash because two creditors may use
 * the same customer references.
 */
export function customerCreditorReference(orgId: string, customerRef: string): string {
  const upper = customerRef.trim().toUpperCase();
  if (/^[A-Z0-9]{1,20}$/.test(upper) && upper === customerRef.trim()) {
    return createCreditorReference(`C${upper}`);
  }
  return createCreditorReference(`H${digest36(`customer\u0000${orgId}\u0000${customerRef}`)}`);
}

/**
 * The reference for one selection of invoices (the debtor ticks some invoices in the portal).
 * The same set in any order gives the same reference, so a page reload does not mint a new one.
 */
export function invoiceSelectionCreditorReference(
  orgId: string,
  customerRef: string,
  invoiceNumbers: readonly string[],
): string {
  if (invoiceNumbers.length === 0) {
    throw new AppError('VALIDATION', 'A selection reference needs at least one invoice', [
      { field: 'invoiceNumbers', reason: 'empty selection' },
    ]);
  }
  const unique = [...new Set(invoiceNumbers)].sort();
  return createCreditorReference(
    `S${digest36(`selection\u0000${orgId}\u0000${customerRef}\u0000${unique.join('\u0000')}`)}`,
  );
}
