import { describe, expect, it } from 'vitest';
import {
  cleanComment,
  DEFAULT_PORTAL_SETTINGS,
  portalSettingsOf,
  promiseDateProblem,
  promiseExpired,
} from '../../../src/domain/portal/index.js';

const s = DEFAULT_PORTAL_SETTINGS;

describe('promise date rules', () => {
  it('accepts today and the last day of the maximum', () => {
    expect(promiseDateProblem('2026-03-15', '2026-03-15', s)).toBeNull();
    expect(promiseDateProblem('2026-04-14', '2026-03-15', s)).toBeNull();
  });

  it('refuses yesterday as in the past', () => {
    expect(promiseDateProblem('2026-03-14', '2026-03-15', s)).toMatchObject({
      field: 'promisedDate',
      rule: 'not_in_past',
    });
  });

  it('refuses one day beyond the maximum and names the latest date', () => {
    expect(promiseDateProblem('2026-04-15', '2026-03-15', s)).toMatchObject({
      field: 'promisedDate',
      rule: 'max_days',
      latest: '2026-04-14',
    });
  });

  it('refuses impossible dates such as 29 February in a common year', () => {
    expect(promiseDateProblem('2027-02-29', '2027-02-01', s)?.rule).toBe('format');
    expect(promiseDateProblem('2028-02-29', '2028-02-01', s)).toBeNull();
  });

  it('follows the organisation maximum and falls back on bad settings', () => {
    expect(portalSettingsOf({ portal: { maxPromiseDays: 10 } }).maxPromiseDays).toBe(10);
    expect(portalSettingsOf({ portal: { maxPromiseDays: -4 } }).maxPromiseDays).toBe(30);
    expect(portalSettingsOf({ portal: { maxPromiseDays: '12' } }).maxPromiseDays).toBe(30);
    expect(portalSettingsOf({}).promiseGraceDays).toBe(3);
    const ten = portalSettingsOf({ portal: { maxPromiseDays: 10 } });
    expect(promiseDateProblem('2026-03-26', '2026-03-15', ten)?.rule).toBe('max_days');
  });

  it('counts a promise broken only after the grace days have passed', () => {
    expect(promiseExpired('2026-03-20', 3, '2026-03-23')).toBe(false);
    expect(promiseExpired('2026-03-20', 3, '2026-03-24')).toBe(true);
    expect(promiseExpired('2026-02-28', 0, '2026-03-01')).toBe(true);
  });
});

describe('dispute comments', () => {
  it('keeps line breaks, drops other control characters and blank comments', () => {
    expect(cleanComment('  Colis\r\nabîmé\u0000\u0007 ')).toBe('Colis\r\nabîmé');
    expect(cleanComment('   ')).toBeNull();
    expect(cleanComment(undefined)).toBeNull();
    expect(cleanComment('<script>x</script>')).toBe('<script>x</script>');
  });
});
