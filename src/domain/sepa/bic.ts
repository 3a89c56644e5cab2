/**
 * BIC (ISO 9362): 4 letters institution, 2 letters country, 2 alphanumerics location,
 * optionally 3 alphanumerics branch. 8 or 11 characters, nothing else.
 */
const BIC_PATTERN = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

export function normalizeBic(input: string): string {
  return input.trim().toUpperCase();
}

export function isValidBic(input: string): boolean {
  return BIC_PATTERN.test(normalizeBic(input));
}
