import { describe, expect, it } from 'vitest';
import { formatRejectReport, toCsvCell, toCsvLine } from '../../../src/ingest/csv-export.js';

describe('toCsvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+33 1 23 45 67 89', "'+33 1 23 45 67 89"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', `"'\tcmd"`],
  ])('neutralises the formula-looking text %s', (input, expected) => {
    expect(toCsvCell(input)).toBe(expected);
  });

  it('leaves ordinary text and numbers alone, negative numbers included', () => {
    expect(toCsvCell('Boulangerie Martin')).toBe('Boulangerie Martin');
    expect(toCsvCell(-12.5)).toBe('-12.5');
    expect(toCsvCell(null)).toBe('');
  });

  it('quotes the separator, quotes and line breaks', () => {
    expect(toCsvCell('a,b')).toBe('"a,b"');
    expect(toCsvCell('a;b', ';')).toBe('"a;b"');
    expect(toCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(toCsvCell('two\nlines')).toBe('"two\nlines"');
    expect(toCsvLine(['F1', 12, '=1+1'], ';')).toBe("F1;12;'=1+1");
  });

  it('quotes a cell a spreadsheet could split on another separator (";=1+1" in a comma file)', () => {
    expect(toCsvCell('x;=1+1')).toBe('"x;=1+1"');
    expect(toCsvCell(';=1+1', ',')).toBe('";=1+1"');
    expect(toCsvCell('a,=2', ';')).toBe('"a,=2"');
  });

  it('quotes every text cell when asked (reject reports)', () => {
    expect(toCsvLine([3, 'Montant', '=1'], ',', true)).toBe('3,"Montant","\'=1"');
  });
});

describe('formatRejectReport', () => {
  it('writes one escaped line per error after a BOM and a header', () => {
    const report = formatRejectReport([
      { line: 3, column: 'Montant TTC', field: 'gross', value: '=1+1', reason: 'not an amount; really' },
      { line: 7, reason: 'row has 2 fields, the header has 3 (truncated row?)' },
    ]);
    expect(report.split('\r\n')).toEqual([
      '\uFEFF"line";"column";"field";"value";"reason"',
      '3;"Montant TTC";"gross";"\'=1+1";"not an amount; really"',
      '7;;;;"row has 2 fields, the header has 3 (truncated row?)"',
      '',
    ]);
  });
});
