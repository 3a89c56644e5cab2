import type { RowError } from './row.js';

/** Identifiers (numbers and references) are at most this long, in characters. */
export const MAX_KEY_LENGTH = 100;
/** Every other text field is at most this long, in characters. */
export const MAX_TEXT_LENGTH = 1_000;

/** The fields that are identifiers: indexed in the database, so kept short. */
const KEY_FIELDS = new Set([
  'invoiceNumber',
  'customerRef',
  'externalRef',
  'externalId',
  'paymentReference',
  'creditNoteNumber',
  'bankReference',
  'poReference',
]);

export function maxLengthOf(field: string): number {
  return KEY_FIELDS.has(field) ? MAX_KEY_LENGTH : MAX_TEXT_LENGTH;
}

// Zero-width space, joiners, word joiner, BOM and soft hyphen: invisible, so two references
// that look the same would differ. Removed before anything reads a cell.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const HAS_INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/;

export function stripInvisible(s: string): string {
  return HAS_INVISIBLE.test(s) ? s.replace(INVISIBLE, '') : s;
}

/**
 * Checks every mapped cell of a row before validation: a NUL character (PostgreSQL refuses
 * 0x00 in text, which used to fail the whole import) and a value longer than the field's
 * maximum (an index row over 2,700 bytes did the same) reject the row, naming the column.
 */
export function checkCells(
  line: number,
  cells: Record<string, string>,
  byField: Record<string, string>,
): RowError[] {
  const errors: RowError[] = [];
  for (const [field, column] of Object.entries(byField)) {
    const v = cells[column];
    if (v === undefined || v === '') continue;
    if (v.includes('\u0000')) {
      errors.push({
        line,
        column,
        field,
        reason: 'contains a NUL character (0x00), which is not allowed in text',
      });
      continue;
    }
    const max = maxLengthOf(field);
    if (v.length > max) {
      errors.push({
        line,
        column,
        field,
        value: `${v.slice(0, 40)}…`,
        reason: `${v.length} characters: at most ${max} are allowed for this field`,
      });
    }
  }
  return errors;
}

/** A reference folded for look-alike checks: no case, no spacing, no invisible characters. */
export function foldReference(s: string): string {
  return stripInvisible(s)
    .replace(/[\s._-]+/g, '')
    .toLowerCase();
}
