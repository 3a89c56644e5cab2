import { describe, expect, it } from 'vitest';
import {
  DateOrderInference,
  parseBooleanCell,
  parseDateFormatOption,
  parseDateInOrder,
} from '../../../src/domain/import/date-order.js';
import { CellError } from '../../../src/domain/import/parse.js';

function decide(values: string[], fallback?: 'dmy' | 'mdy') {
  const inf = new DateOrderInference();
  for (const [i, v] of values.entries()) inf.add(i + 2, v);
  return inf.decide('InvoiceDate', fallback);
}

describe('day/month order decided per column from the whole file', () => {
  it('reads a column month-first when one value only reads that way ("1/26/2013")', () => {
    expect(decide(['3/4/2013', '1/26/2013', '12/1/2013'])).toEqual({
      ok: true,
      order: 'mdy',
      decidedBy: { line: 3, value: '1/26/2013' },
    });
    expect(parseDateInOrder('3/4/2013', 'mdy')).toBe('2013-03-04');
  });

  it('reads a column day-first when one value only reads that way', () => {
    expect(decide(['03/04/2013', '26/01/2013'])).toMatchObject({ ok: true, order: 'dmy' });
    expect(parseDateInOrder('03/04/2013', 'dmy')).toBe('2013-04-03');
  });

  it('refuses a column where both orders fit every value, asking for --date-format', () => {
    const d = decide(['03/04/2013', '05/06/2013']);
    expect(d.ok).toBe(false);
    expect(d.ok ? '' : d.reason).toMatch(/--date-format/);
  });

  it('uses the given default order for an undecided column (the organisation locale)', () => {
    expect(decide(['03/04/2013'], 'dmy')).toEqual({ ok: true, order: 'dmy' });
  });

  it('refuses a column mixing the two orders, naming a line of each', () => {
    const d = decide(['26/01/2013', '1/26/2013']);
    expect(d).toMatchObject({ ok: false, lines: [2, 3] });
  });

  it('needs no decision for ISO dates or days equal to months', () => {
    expect(decide(['2013-01-26', '05/05/2013'])).toEqual({ ok: true, order: null });
    expect(parseDateInOrder('05/05/2013', null)).toBe('2013-05-05');
    expect(parseDateInOrder('03/04/2013', null)).toBeInstanceOf(CellError);
  });

  it('refuses impossible calendar dates in the decided order', () => {
    expect(parseDateInOrder('2/30/2024', 'mdy')).toBeInstanceOf(CellError);
    expect(parseDateInOrder('2/29/2024', 'mdy')).toBe('2024-02-29');
    expect(parseDateInOrder('29/2/23', 'dmy')).toBeInstanceOf(CellError);
  });
});

describe('--date-format and booleans', () => {
  it.each([
    ['MM/DD/YYYY', 'mdy'],
    ['m/d/yyyy', 'mdy'],
    ['DD.MM.YYYY', 'dmy'],
    ['YYYY-MM-DD', 'iso'],
  ])('reads --date-format %s', (fmt, order) => {
    expect(parseDateFormatOption(fmt)).toBe(order);
  });

  it('refuses an unknown --date-format', () => {
    expect(parseDateFormatOption('YYYY/DD')).toBeInstanceOf(CellError);
  });

  it.each([
    ['Yes', true],
    ['no', false],
    ['Oui', true],
    ['NON', false],
    ['1', true],
    ['0', false],
    ['true', true],
    ['FALSE', false],
    ['', false],
  ])('reads the flag %j as %s', (raw, value) => {
    expect(parseBooleanCell(raw)).toBe(value);
  });

  it('refuses a flag that is neither yes nor no', () => {
    expect(parseBooleanCell('maybe')).toBeInstanceOf(CellError);
  });
});
