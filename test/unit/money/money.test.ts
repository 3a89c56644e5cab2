import { describe, expect, it } from 'vitest';
import {
  add,
  allocateEvenly,
  formatMoney,
  fromDecimal,
  money,
  parseAmount,
  subtract,
  toMajorString,
} from '../../../src/domain/money/index.js';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('parseAmount', () => {
  it.each([
    ['1234.56', 123456],
    ['1234,56', 123456],
    ['1 234,56', 123456],
    ['1\u00a0234,56', 123456],
    ['1\u202f234,56 €', 123456],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
    ['€1,234.56', 123456],
    ['1.234.567', 123456700],
    ['12,5', 1250],
    ['0,01', 1],
    ['0', 0],
    ['-12', -1200],
    ['(45.00)', -4500],
    ['+7', 700],
    ['100.00', 10000],
    ['99.990', 9999],
  ])('reads %s as %i cents', (input, cents) => {
    expect(parseAmount(input, 'EUR')).toEqual({ amount: cents, currency: 'EUR' });
  });

  it('uses the currency exponent: yen have no decimals, dinars three', () => {
    expect(parseAmount('1500', 'JPY').amount).toBe(1500);
    expect(parseAmount('1,500', 'KWD').amount).toBe(1500);
    expect(() => parseAmount('12.5', 'JPY')).toThrow(/more than 0 decimals/);
  });

  it.each(['', 'abc', '12a', '1,2,3', '1.23.4', '--5', '12.345'])('refuses %j', (input) => {
    expect(() => parseAmount(input, 'EUR')).toThrow();
  });

  it('never goes through floats: 0.1 + 0.2 style values stay exact', () => {
    expect(parseAmount('0.1', 'EUR').amount + parseAmount('0.2', 'EUR').amount).toBe(30);
    // The largest amount accepted (MAX_AMOUNT_MINOR, issue 14) is exact to the cent; one cent
    // more, and any value past 2^53 minor units, is refused rather than rounded.
    expect(parseAmount('100000000000.00', 'EUR').amount).toBe(10_000_000_000_000);
    expect(parseAmount('99999999999.99', 'EUR').amount).toBe(9_999_999_999_999);
    expect(() => parseAmount('100000000000.01', 'EUR')).toThrow(/too large/);
    expect(() => parseAmount('90071992547409.92', 'EUR')).toThrow(/too large/);
  });
});

describe('formatMoney', () => {
  it('formats French style with a narrow space and comma', () => {
    expect(nbsp(formatMoney(money(123456, 'EUR')))).toBe('1 234,56 €');
    expect(nbsp(formatMoney(money(-5, 'EUR')))).toBe('-0,05 €');
  });
  it('formats English style', () => {
    expect(formatMoney(money(123456, 'EUR'), 'en-GB')).toBe('€1,234.56');
    expect(formatMoney(money(4000, 'GBP'), 'en-GB')).toBe('£40.00');
  });
  it('formats amounts beyond float precision exactly', () => {
    expect(nbsp(formatMoney(money(9007199254740991, 'EUR')))).toBe('90 071 992 547 409,91 €');
  });
});

describe('arithmetic', () => {
  it('adds and subtracts in the same currency only', () => {
    expect(add(money(150, 'EUR'), money(250, 'EUR'))).toEqual(money(400, 'EUR'));
    expect(subtract(money(150, 'EUR'), money(250, 'EUR'))).toEqual(money(-100, 'EUR'));
    expect(() => add(money(1, 'EUR'), money(1, 'USD'))).toThrow(/currency mismatch/);
  });
  it('refuses non-integer minor units', () => {
    expect(() => money(1.5, 'EUR')).toThrow();
  });
  it('rounds decimals half away from zero once', () => {
    expect(fromDecimal('12.345', 'EUR').amount).toBe(1235);
    expect(fromDecimal('12.344999', 'EUR').amount).toBe(1234);
    expect(fromDecimal('-0.005', 'EUR').amount).toBe(-1);
    expect(toMajorString(money(5, 'EUR'))).toBe('0.05');
  });
  it('splits an amount into shares that add up exactly', () => {
    const parts = allocateEvenly(money(10000, 'EUR'), 3);
    expect(parts.map((p) => p.amount)).toEqual([3334, 3333, 3333]);
    expect(parts.reduce((s, p) => s + p.amount, 0)).toBe(10000);
    expect(allocateEvenly(money(1, 'EUR'), 4).map((p) => p.amount)).toEqual([1, 0, 0, 0]);
    expect(() => allocateEvenly(money(1, 'EUR'), 0)).toThrow();
  });
});
