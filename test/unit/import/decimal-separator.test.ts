import { describe, expect, it } from 'vitest';
import {
  normaliseAmountText,
  parseDecimalSeparatorOption,
} from '../../../src/domain/import/decimal-separator.js';
import { CellError } from '../../../src/domain/import/parse.js';
import { parseMappingFile } from '../../../src/ingest/mapping.js';

describe('--decimal-separator', () => {
  it('rewrites amounts with the given separator and thousands groups', () => {
    expect(normaliseAmountText('1,234.50', '.')).toBe('1234.50');
    expect(normaliseAmountText('1.234,50', ',')).toBe('1234.50');
    expect(normaliseAmountText('1 234,5 €', ',')).toBe('1234.5€');
    expect(normaliseAmountText('12,5', ',')).toBe('12.5');
    expect(normaliseAmountText('1.234.567', ',')).toBe('1234567');
  });
  it('refuses the other character where it cannot be a thousands separator', () => {
    expect(normaliseAmountText('1,5', '.')).toBeInstanceOf(CellError);
    expect(normaliseAmountText('1,234.50', ',')).toBeInstanceOf(CellError);
    expect(normaliseAmountText('1.2.3', '.')).toBeInstanceOf(CellError);
  });
  it('reads the option', () => {
    expect(parseDecimalSeparatorOption('comma')).toBe(',');
    expect(parseDecimalSeparatorOption('.')).toBe('.');
    expect(parseDecimalSeparatorOption(';')).toBeInstanceOf(CellError);
  });
});

describe('mapping file options', () => {
  it('reads columns, dateFormat and decimalSeparator, and still the flat shape', () => {
    expect(
      parseMappingFile(
        '{"columns":{"Num":"invoiceNumber"},"dateFormat":"MM/DD/YYYY","decimalSeparator":"."}',
      ),
    ).toEqual({ columns: { Num: 'invoiceNumber' }, dateFormat: 'MM/DD/YYYY', decimalSeparator: '.' });
    expect(parseMappingFile('{"Num":"invoiceNumber"}')).toEqual({ columns: { Num: 'invoiceNumber' } });
    expect(() => parseMappingFile('{"columns":{},"dateFormat":3}')).toThrow(/must map/);
  });
});
