import { describe, expect, it } from 'vitest';
import { countDays } from '../../../src/domain/law/day-count.js';
import { computePenalties } from '../../../src/domain/law/penalties.js';
import { mergeRates } from '../../../src/domain/law/rate-table.js';
import { splitBySemester } from '../../../src/domain/law/semesters.js';
import { type Case, catchError, input, major, run } from './helpers.js';

const base: Case = {
  jurisdiction: 'FR',
  kind: 'b2b',
  amount: '1000',
  due: '2025-03-31',
  until: '2025-04-30',
};

describe('semesters and day counts', () => {
  it('cuts a period at 1 July and 1 January, ends included', () => {
    expect(splitBySemester('2024-06-30', '2025-01-01').map((s) => [s.from, s.to, s.semester.label])).toEqual([
      ['2024-06-30', '2024-06-30', '2024-H1'],
      ['2024-07-01', '2024-12-31', '2024-H2'],
      ['2025-01-01', '2025-01-01', '2025-H1'],
    ]);
  });

  it('counts 29 February in leap years (act/365 keeps the 365 divisor)', () => {
    expect(countDays('2024-02-01', '2024-02-29', 'act/365')).toEqual({ days: 29, basis: 365 });
    expect(countDays('2024-02-01', '2024-02-29', 'act/366-leap')).toEqual({ days: 29, basis: 366 });
    expect(countDays('2023-02-01', '2023-02-28', 'act/366-leap')).toEqual({ days: 28, basis: 365 });
  });

  it('counts a full month of February as 30 days in 30E/360', () => {
    expect(countDays('2025-02-01', '2025-02-28', '30/360').days).toBe(28);
    expect(countDays('2025-01-01', '2025-06-30', '30/360').days).toBe(180);
    expect(countDays('2025-07-01', '2025-12-31', '30/360').days).toBe(180);
  });

  it('gives a whole non-leap year exactly the annual rate', () => {
    // 01/01–31/12/2021 at 10 %: 365 days / 365 × 10 % × 1 000 = 100.00 exactly.
    const s = run({ ...base, amount: '1000', due: '2020-12-31', until: '2021-12-31' });
    expect(s.lines.map((l) => l.days)).toEqual([181, 184]);
    expect(major(s.totals.interestOutstanding)).toBe('100.00');
  });

  it('charges one day of interest when the end date is the day after the due date', () => {
    // 1 000 × 13.15 % × 1 / 365 = 0.360273… → 0.36
    const s = run({ ...base, until: '2025-04-01' });
    expect(s.lines[0]?.days).toBe(1);
    expect(major(s.totals.interestOutstanding)).toBe('0.36');
  });
});

describe('rounding: exact decimals, rounded once', () => {
  it('rounds half a cent up (10.005 → 10.01)', () => {
    // 100.05 × 10 % over the whole of 2021 (365/365) = 10.005 → 10.01 half-up
    const s = run({ ...base, amount: '100.05', due: '2020-12-31', until: '2021-12-31' });
    expect(major(s.totals.interestOutstanding)).toBe('10.01');
  });

  it('totals from the unrounded sum even when the rounded lines add up differently', () => {
    // 0.13 € at 10 %: H1 181 days = 0.006446…, H2 184 days = 0.006553…: lines 0.01 + 0.01,
    // total 0.013 → 0.01 (the statement states this convention).
    const s = run({ ...base, amount: '0.13', due: '2020-12-31', until: '2021-12-31' });
    expect(s.lines.map((l) => major(l.interest))).toEqual(['0.01', '0.01']);
    expect(major(s.totals.interestOutstanding)).toBe('0.01');
    expect(s.rounding).toMatch(/rounded once/);
  });

  it('keeps sub-cent interest on a one-cent debt instead of rounding each day away', () => {
    // 0.01 € × 10 % × 365/365 = 0.001 → 0.00, but the line is still shown with its exact value.
    const s = run({ ...base, amount: '0.01', due: '2020-12-31', until: '2021-12-31' });
    expect(s.lines).toHaveLength(2);
    expect(s.lines[0]?.interestExact).toMatch(/^0\.000/);
    expect(s.totals.interestOutstanding.amount).toBe(0);
  });
});

describe('payments, indemnity and waivers', () => {
  it('owes no indemnity and no interest when paid in full on the due date', () => {
    const s = run({ ...base, payments: [['2025-03-31', '1000']] });
    expect(s.lines).toEqual([]);
    expect(s.indemnity).toBeNull();
    expect(s.totals.totalDue.amount).toBe(0);
  });

  it('stops interest once the principal is paid, leaving the unpaid interest due', () => {
    // FR order: interest first. 30 days on 1 000 at 13.15 % = 10.808219…; paying 1 000 on
    // 30/04 leaves 10.808219 of principal; the next day's interest runs on that remainder.
    const s = run({ ...base, until: '2025-05-31', payments: [['2025-04-30', '1000']] });
    expect(s.payments[0]?.toInterest.amount).toBe(1081);
    expect(major(s.totals.principalOutstanding)).toBe('10.81');
    expect(s.lines.at(-1)?.base).toMatch(/^10\.808219/);
  });

  it('records an overpayment as a credit, with a warning', () => {
    const s = run({ ...base, payments: [['2025-04-01', '2000']] });
    expect(s.totals.overpayment.amount).toBeGreaterThan(0);
    expect(s.totals.principalOutstanding.amount).toBe(0);
    expect(s.warnings.map((w) => w.code)).toContain('OVERPAYMENT');
  });

  it('imputes two same-day payments in the order given', () => {
    const s = run({
      ...base,
      payments: [
        ['2025-04-10', '1.00'],
        ['2025-04-10', '2.00'],
      ],
    });
    expect(s.payments.map((p) => p.amount.amount)).toEqual([100, 200]);
  });

  it('shows waived penalties but does not claim them', () => {
    const s = run({ ...base, waivePenalties: true });
    expect(s.lines.length).toBe(1);
    expect(s.totals.interestOutstanding.amount).toBe(0);
    expect(s.totals.interestWaived?.amount).toBe(s.totals.interestAccrued.amount);
    expect(s.totals.interestAccrued.amount).toBeGreaterThan(0);
    expect(s.penaltiesWaived).toBe(true);
    expect(major(s.totals.totalDue)).toBe('1040.00');
  });

  it('marks a waived indemnity on the statement and leaves it out of the total', () => {
    const s = run({ ...base, waiveIndemnity: true });
    expect(s.indemnity?.waived).toBe(true);
    expect(s.totals.indemnityOutstanding.amount).toBe(0);
    expect(s.warnings.map((w) => w.code)).toContain('INDEMNITY_WAIVED');
  });

  it('does not add a euro indemnity to a debt in another currency, and says so', () => {
    const s = run({ ...base, currency: 'USD' });
    expect(s.indemnity).toBeNull();
    expect(s.warnings.map((w) => w.code)).toContain('INDEMNITY_CURRENCY');
  });

  it('reports a statement on the due date itself as not late', () => {
    const s = run({ ...base, until: '2025-03-31' });
    expect(s.lines).toEqual([]);
    expect(s.indemnity).toBeNull();
    expect(s.warnings.map((w) => w.code)).toEqual(['NOT_LATE']);
  });

  it('names the floor in force in each semester: a clause may be valid in one and not the next', () => {
    // Clause 12 %: 2024-H2 floor 14.76 % (applies, warning); 2025-H1 floor 11.13 % (clause valid).
    const s = run({ ...base, due: '2024-11-30', until: '2025-01-31', rateClause: '12' });
    expect(s.lines.map((l) => [l.period, l.ratePct, l.rateKind])).toEqual([
      ['2024-H2', '14.76', 'floor'],
      ['2025-H1', '12.00', 'contractual'],
    ]);
    expect(s.warnings.filter((w) => w.code === 'FLOOR_APPLIED').map((w) => w.period)).toEqual(['2024-H2']);
  });
});

describe('bad input is refused with the field named', () => {
  const cases: [string, Partial<Case>, RegExp][] = [
    ['an unknown jurisdiction', { jurisdiction: 'XX' }, /^jurisdiction: unknown jurisdiction "XX"/],
    [
      'an end date before the due date',
      { until: '2025-03-01' },
      /^until: 2025-03-01 is before the due date 2025-03-31/,
    ],
    ['an invalid due date', { due: '2025-02-30' }, /^dueDate: /],
    ['an unknown debtor kind', { kind: 'b2x' as 'b2b' }, /^kind: must be b2b or b2c/],
    ['a non-numeric contractual rate', { rateClause: 'ten' }, /^contractualRate: "ten" is not a percentage/],
    ['an unknown day count', { dayCount: 'act/360' }, /^dayCount: must be one of/],
    ['a payment after the end date', { payments: [['2025-05-01', '10']] }, /^payments\[0\]\.date: /],
    ['a notice after the end date', { kind: 'b2c', notice: '2025-05-01' }, /^noticeDate: /],
  ];
  for (const [what, patch, message] of cases) {
    it(`refuses ${what}`, () => {
      const err = catchError(() => run({ ...base, ...patch }));
      expect(err.code).toBe('VALIDATION');
      expect(err.message).toMatch(message);
      expect(err.details[0]?.field).toBeTruthy();
    });
  }

  it('refuses a zero or negative amount', () => {
    for (const amount of [0, -100]) {
      const i = { ...input(base), principal: { amount, currency: 'EUR' } };
      const err = catchError(() => computePenalties(i, mergeRates()));
      expect(err.message).toBe('amount: must be greater than zero');
    }
  });

  it('refuses a fractional minor-unit amount (a float slipped in)', () => {
    const i = { ...input(base), principal: { amount: 100.5, currency: 'EUR' } };
    expect(catchError(() => computePenalties(i, mergeRates())).details[0]?.field).toBe('amount');
  });

  it('refuses a zero payment, naming which one', () => {
    const i = input({
      ...base,
      payments: [
        ['2025-04-02', '1'],
        ['2025-04-03', '1'],
      ],
    });
    const second = i.payments?.[1];
    if (second) second.amount = { amount: 0, currency: 'EUR' };
    expect(catchError(() => computePenalties(i, mergeRates())).message).toBe(
      'payments[1].amount: must be greater than zero',
    );
  });

  it('names the missing period instead of computing zero interest', () => {
    // FR B2C 2026-H2: taux légal not found (legal_rules.md §3).
    const err = catchError(() =>
      run({ ...base, kind: 'b2c', due: '2026-05-31', notice: '2026-06-15', until: '2026-08-31' }),
    );
    expect(err.code).toBe('LAW_NO_RATE');
    expect(err.message).toMatch(/No FR_TIL_OTHER rate for 2026-07-01/);
    expect(err.extra).toMatchObject({ period: '2026-H2' });
  });

  it('refuses a B2B clause in a semester whose floor cannot be checked', () => {
    const err = catchError(() => run({ ...base, due: '2026-06-30', until: '2026-07-31', rateClause: '15' }));
    expect(err.code).toBe('LAW_NO_RATE');
    expect(err.message).toMatch(/3 × taux légal floor for 2026-H2/);
  });

  it('names the reference date when the ECB rate of a future semester is not known', () => {
    const err = catchError(() => run({ ...base, due: '2026-12-15', until: '2027-01-15' }));
    expect(err.message).toMatch(/No ECB_MRO rate for 2027-01-01 \(reference date of 2027-H1\)/);
  });
});
