import { describe, expect, it } from 'vitest';
import {
  checkTrackingNumber,
  normaliseTrackingNumber,
  s10CheckDigit,
} from '../../../src/domain/letters/tracking-number.js';

describe('La Poste registered-letter tracking numbers', () => {
  it('accepts a domestic recommandé number as printed, with spaces or dashes', () => {
    expect(checkTrackingNumber('1A 012 345 678 90')).toEqual({
      ok: true,
      value: '1A01234567890',
      kind: 'domestic',
    });
    expect(checkTrackingNumber('2c-000-111-222-33')).toMatchObject({ ok: true, value: '2C00011122233' });
  });

  it('refuses a domestic number one digit short or long, or with the letter misplaced', () => {
    expect(checkTrackingNumber('1A0123456789')).toEqual({ ok: false, reason: 'format' });
    expect(checkTrackingNumber('1A012345678901')).toEqual({ ok: false, reason: 'format' });
    expect(checkTrackingNumber('A101234567890')).toEqual({ ok: false, reason: 'format' });
    expect(checkTrackingNumber('')).toEqual({ ok: false, reason: 'format' });
    expect(checkTrackingNumber('1Á01234567890')).toEqual({ ok: false, reason: 'format' });
  });

  it('computes the UPU S10 check digit, including the 10 → 0 and 11 → 5 cases', () => {
    expect(s10CheckDigit('12345678')).toBe(5);
    // weighted sum 0 → 11 − 0 = 11 → 5
    expect(s10CheckDigit('00000000')).toBe(5);
    // 8·1 = 8 → 11 − 8 = 3
    expect(s10CheckDigit('10000000')).toBe(3);
    // 6·2 = 12, remainder 1 → 11 − 1 = 10 → 0
    expect(s10CheckDigit('02000000')).toBe(0);
  });

  it('accepts an international S10 number only with the right check digit', () => {
    expect(checkTrackingNumber('rr 123 456 785 fr')).toEqual({
      ok: true,
      value: 'RR123456785FR',
      kind: 'international',
    });
    expect(checkTrackingNumber('RR123456784FR')).toEqual({ ok: false, reason: 'check_digit' });
    expect(checkTrackingNumber('RR12345678FR')).toEqual({ ok: false, reason: 'format' });
  });

  it('normalises without judging', () => {
    expect(normaliseTrackingNumber(' 1a-01 ')).toBe('1A01');
  });
});
