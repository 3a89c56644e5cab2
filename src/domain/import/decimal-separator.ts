import { CellError } from './parse.js';

export type DecimalSeparator = '.' | ',';

/** `--decimal-separator`: "." or "," (also the words "dot"/"point" and "comma"/"virgule"). */
export function parseDecimalSeparatorOption(raw: string): DecimalSeparator | CellError {
  const s = raw.trim().toLowerCase();
  if (s === '.' || s === 'dot' || s === 'point') return '.';
  if (s === ',' || s === 'comma' || s === 'virgule') return ',';
  return new CellError('unknown decimal separator (use "." or ",")');
}

/**
 * An amount cell written with a known decimal separator, rewritten with "." and no
 * thousands separators: "1,234.50" (sep ".") or "1.234,50" (sep ",") → "1234.50". The
 * other character is accepted only as a thousands separator in groups of three digits, so
 * "1,5" with "." as the decimal separator is refused rather than read as 15.
 */
export function normaliseAmountText(raw: string, sep: DecimalSeparator): string | CellError {
  const other = sep === '.' ? ',' : '.';
  const s = raw.trim().replace(/[\s\u00a0\u202f']/g, '');
  const m = /^([^0-9.,]*)([0-9.,]+)([^0-9.,]*)$/.exec(s);
  if (!m) return raw;
  const [, before = '', number = '', after = ''] = m;
  const parts = number.split(sep);
  if (parts.length > 2) return new CellError(`more than one decimal separator "${sep}"`);
  const [intPart = '', frac] = parts;
  if (frac !== undefined && !/^\d+$/.test(frac)) {
    return new CellError(`not an amount with "${sep}" as the decimal separator`);
  }
  if (intPart.includes(other)) {
    const grouped = new RegExp(`^\\d{1,3}(\\${other}\\d{3})+$`);
    if (!grouped.test(intPart)) {
      return new CellError(
        `"${other}" is not the decimal separator here ("${sep}" is) and is not a thousands separator either`,
      );
    }
  } else if (!/^\d+$/.test(intPart)) {
    return new CellError(`not an amount with "${sep}" as the decimal separator`);
  }
  const digits = intPart.split(other).join('');
  return `${before}${digits}${frac !== undefined ? `.${frac}` : ''}${after}`;
}
