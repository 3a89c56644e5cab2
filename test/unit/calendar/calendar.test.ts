import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addWorkingDays,
  daysBetween,
  endOfMonth,
  isIsoDate,
  isPublicHoliday,
  isWorkingDay,
  nextWorkingDay,
  zonedInstant,
  zonedParts,
} from '../../../src/domain/calendar/index.js';

describe('business dates', () => {
  it('validates real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('24-01-01')).toBe(false);
  });
  it('counts days across leap years and month ends', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2023-02-28', '2023-03-01')).toBe(1);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
  });
  it('does not lose a day over daylight-saving changes', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26');
  });
  it('clamps month arithmetic to the last day of the month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28');
  });
});

describe('French working days', () => {
  it('knows the fixed and moving public holidays', () => {
    expect(isPublicHoliday('2026-07-14')).toBe(true);
    expect(isPublicHoliday('2026-05-14')).toBe(true); // Ascension 2026
    expect(isPublicHoliday('2026-04-06')).toBe(true); // Easter Monday 2026
    expect(isPublicHoliday('2026-07-15')).toBe(false);
  });
  it('moves a deadline that falls on a weekend or holiday to the next working day', () => {
    expect(nextWorkingDay('2026-07-14')).toBe('2026-07-15');
    expect(nextWorkingDay('2026-12-25')).toBe('2026-12-28'); // Friday holiday → Monday
    expect(nextWorkingDay('2026-11-25')).toBe('2026-11-25');
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
  });
  it('adds working days skipping weekends and holidays', () => {
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-28');
  });
});

describe('time zones', () => {
  it('finds the instant of 09:00 in Paris in winter and summer time', () => {
    expect(zonedInstant('2026-01-15', 9, 0, 'Europe/Paris').toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(zonedInstant('2026-07-15', 9, 0, 'Europe/Paris').toISOString()).toBe('2026-07-15T07:00:00.000Z');
    expect(zonedInstant('2026-03-29', 9, 0, 'Europe/Paris').toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });
  it('gives the local date of an instant near midnight', () => {
    expect(zonedParts(new Date('2026-06-30T22:30:00Z'), 'Europe/Paris')).toEqual({
      date: '2026-07-01',
      hour: 0,
      minute: 30,
    });
  });
});
