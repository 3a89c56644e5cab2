import { describe, expect, it } from 'vitest';
import { normalisePlanAnswer, planRefusal } from '../../../web/src/portal/api';
import { fromMinor, parseMinor } from '../../../web/src/portal/money';
import { translator } from '../../../web/src/portal/portal.i18n';

describe('portal money helpers', () => {
  it('turns minor units into the API money shape exactly', () => {
    expect(fromMinor(195050, 'EUR')).toEqual({ amount: 195050, currency: 'EUR', decimal: '1950.50' });
    expect(fromMinor(5, 'EUR').decimal).toBe('0.05');
    expect(fromMinor(0, 'EUR').decimal).toBe('0.00');
    expect(fromMinor(-1999, 'EUR').decimal).toBe('-19.99');
    expect(fromMinor(1500, 'JPY').decimal).toBe('1500');
  });

  it('reads an amount typed with a comma or a point, with spaces, into minor units', () => {
    expect(parseMinor('120,50', 'EUR')).toBe(12050);
    expect(parseMinor('1 234.5', 'EUR')).toBe(123450);
    expect(parseMinor('1\u202f000', 'EUR')).toBe(100000);
    expect(parseMinor('', 'EUR')).toBe(0);
    expect(parseMinor('0,001', 'EUR')).toBeNull();
    expect(parseMinor('-5', 'EUR')).toBeNull();
    expect(parseMinor('12abc', 'EUR')).toBeNull();
    expect(parseMinor('100', 'JPY')).toBe(100);
  });
});

describe('payment plan answers', () => {
  it('keeps a stored plan as the server sent it', () => {
    const plan = {
      id: 'p1',
      status: 'proposed' as const,
      currency: 'EUR',
      totalMinor: 1000,
      instalments: [{ seq: 1, dueDate: '2026-12-01', amountMinor: 1000 }],
    };
    expect(normalisePlanAnswer({ plan })).toEqual(plan);
  });

  it('reads the earlier answer (a request passed to the collector) as a plan pending approval', () => {
    const p = normalisePlanAnswer({
      status: 'pending_approval',
      invoiceIds: ['i'],
      schedule: [
        { seq: 1, dueDate: '2026-12-01', amount: { amount: 37525, currency: 'EUR', decimal: '375.25' } },
        { seq: 2, dueDate: '2027-01-01', amount: { amount: 37525, currency: 'EUR', decimal: '375.25' } },
      ],
    });
    expect(p).toEqual({
      status: 'pending_approval',
      currency: 'EUR',
      totalMinor: 75050,
      instalments: [
        { seq: 1, dueDate: '2026-12-01', amountMinor: 37525 },
        { seq: 2, dueDate: '2027-01-01', amountMinor: 37525 },
      ],
    });
    expect(p.id).toBeUndefined();
  });

  it('reads the broken rules and the nearest plan of a refusal, and copes without one', () => {
    const r = planRefusal({
      status: 422,
      code: 'UNPROCESSABLE',
      title: 'Unprocessable request',
      errors: [{ field: 'instalments', reason: 'max_instalments: must be at most 12' }],
      rules: ['max_instalments'],
      nearestPlan: { instalments: 12, firstDate: '2026-12-01', downPaymentMinor: 0, schedule: [] },
    });
    expect(r).toEqual({
      reasons: ['max_instalments: must be at most 12'],
      nearest: { instalments: 12, firstDate: '2026-12-01', downPaymentMinor: 0 },
    });
    expect(
      planRefusal({ status: 422, code: 'UNPROCESSABLE', title: 'x', nearestPlan: null }).nearest,
    ).toBeNull();
  });
});

describe('portal words', () => {
  it('fills placeholders in both languages and leaves unknown ones visible', () => {
    expect(translator('fr')('daysLate', { n: 7 })).toBe('7 j de retard');
    expect(translator('en')('daysLate', { n: 7 })).toBe('7 days late');
    expect(translator('en')('daysLate')).toBe('{n} days late');
  });
});
