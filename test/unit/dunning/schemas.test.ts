import { describe, expect, it } from 'vitest';
import { FR_B2B_STANDARD } from '../../../src/domain/dunning/default-policies.js';
import { parsePolicy, resolveDunningSettings } from '../../../src/domain/dunning/schemas.js';
import { DEFAULT_DUNNING_SETTINGS } from '../../../src/domain/dunning/types.js';
import { AppError } from '../../../src/errors.js';

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('policy and settings validation', () => {
  it('accepts the default policy as JSON round-tripped from the database', () => {
    expect(parsePolicy(JSON.parse(JSON.stringify(FR_B2B_STANDARD)))).toEqual(FR_B2B_STANDARD);
  });

  it('names the field of an unknown channel', () => {
    const bad = JSON.parse(JSON.stringify(FR_B2B_STANDARD));
    bad.steps[1].channels = ['carrier_pigeon'];
    const e = errorOf(() => parsePolicy(bad));
    expect(e.code).toBe('VALIDATION');
    expect(e.details.map((d) => d.field)).toEqual(['steps.1.channels.0']);
  });

  it('reports steps out of order from the policy rules', () => {
    const bad = JSON.parse(JSON.stringify(FR_B2B_STANDARD));
    bad.steps[2].offsetDays = 3;
    const e = errorOf(() => parsePolicy(bad));
    expect(e.details).toEqual([
      { field: 'steps[2].offsetDays', reason: 'steps must be in strictly increasing offset order' },
    ]);
  });

  it('uses the defaults when the organisation has no dunning settings', () => {
    expect(resolveDunningSettings(undefined)).toEqual(DEFAULT_DUNNING_SETTINGS);
  });

  it('overlays partial settings and reads the send window as HH:MM', () => {
    const s = resolveDunningSettings({
      maxContactsPer7Days: 3,
      sendWindowStart: '09:30',
      statementGrouping: false,
    });
    expect(s).toMatchObject({
      maxContactsPer7Days: 3,
      sendWindowStartMinute: 570,
      sendWindowEndMinute: 1200,
      statementGrouping: false,
      smsRequiresConsent: true,
    });
  });

  it('refuses an unknown time zone, a reversed window and unknown keys', () => {
    expect(errorOf(() => resolveDunningSettings({ defaultTimeZone: 'Mars/Olympus' })).details[0]?.field).toBe(
      'defaultTimeZone',
    );
    expect(errorOf(() => resolveDunningSettings({ sendWindowStart: '21:00' })).details[0]?.field).toBe(
      'sendWindowEnd',
    );
    expect(errorOf(() => resolveDunningSettings({ maxContacts: 2 })).message).toBe(
      'invalid dunning settings',
    );
  });
});
