import { describe, expect, it } from 'vitest';
import { major, run } from './helpers.js';

/**
 * Worked examples. Every expectation is computed by hand in the comment next to it with the
 * formula of French and UK practice, amount × rate × days / 365 (leanpay.fr: "(Montant TTC ×
 * taux) × (jours de retard / 365)"; payontime.co.uk: daily interest = debt × rate / 365), with
 * the half-year rates of /work/shared/law/legal_rules.md (§2 FR B2B table, §3 taux légal,
 * §6.2 Basiszinssatz, §6.6 UK statutory rate). Days count from the day after the due date to
 * the end date, both included. Totals are rounded once from the exact sum.
 */

describe('France B2B (L441-10 C. com.): ECB + 10 on 1 Jan / 1 Jul, 40 € per late invoice', () => {
  it('EX1 splits the issue example at 1 July: 13.15 % then 12.15 %', () => {
    // legal_rules.md §2: 2025-H1 = 13.15 % (ECB 3.15 on 1 Jan), 2025-H2 = 12.15 % (ECB 2.15 on 1 Jul).
    // 01/04–30/06 = 91 days: 10 000 × 13.15 % × 91 / 365 = 327.849315…
    // 01/07–30/09 = 92 days: 10 000 × 12.15 % × 92 / 365 = 306.246575…
    // total 634.095890… → 634.10; + 40 € (D441-5) → 10 674.10
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '10000.00',
      due: '2025-03-31',
      until: '2025-09-30',
    });
    expect(s.lines.map((l) => [l.from, l.to, l.days, l.ratePct, major(l.interest)])).toEqual([
      ['2025-04-01', '2025-06-30', 91, '13.15', '327.85'],
      ['2025-07-01', '2025-09-30', 92, '12.15', '306.25'],
    ]);
    expect(major(s.totals.interestOutstanding)).toBe('634.10');
    expect(major(s.totals.indemnityOutstanding)).toBe('40.00');
    expect(major(s.totals.totalDue)).toBe('10674.10');
    expect(s.lines[0]?.rows[0]).toMatchObject({
      series: 'ECB_MRO',
      effectiveFrom: '2024-12-18',
      rate: '3.15',
    });
    expect(s.lines[1]?.rows[0]).toMatchObject({
      series: 'ECB_MRO',
      effectiveFrom: '2025-06-11',
      rate: '2.15',
    });
  });

  it('EX2 imputes a partial payment to interest before principal (art. 1343-1 C. civ.)', () => {
    // 01/04–15/06 = 76 days: 10 000 × 13.15 % × 76 / 365 = 273.808219…
    // payment 4 000 → interest 273.808219…, principal 3 726.191780… → balance 6 273.808219…
    // 16/06–30/06 = 15 days: 6 273.808219 × 13.15 % × 15 / 365 = 33.904347…
    // 01/07–30/09 = 92 days: 6 273.808219 × 12.15 % × 92 / 365 = 192.133228…
    // interest outstanding 226.037576… → 226.04; accrued 499.845794… → 499.85
    // total due 6 273.808219 + 226.037576 + 40 = 6 539.845795… → 6 539.85
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '10000.00',
      due: '2025-03-31',
      until: '2025-09-30',
      payments: [['2025-06-15', '4000.00']],
    });
    expect(s.payments[0]).toMatchObject({ toInterest: { amount: 27381 }, toPrincipal: { amount: 372619 } });
    expect(s.lines.map((l) => [l.days, major(l.interest)])).toEqual([
      [76, '273.81'],
      [15, '33.90'],
      [92, '192.13'],
    ]);
    expect(major(s.totals.interestAccrued)).toBe('499.85');
    expect(major(s.totals.interestOutstanding)).toBe('226.04');
    expect(major(s.totals.principalOutstanding)).toBe('6273.81');
    expect(major(s.totals.totalDue)).toBe('6539.85');
  });

  it('EX3 applies the 3 × taux légal floor to a lower contractual rate, with a warning', () => {
    // leanpay.fr: floor 2023-H2 = 3 × 4.22 % = 12.66 %. Clause 10 % < 12.66 % → 12.66 %.
    // 01/09–30/10/2023 = 60 days: 5 000 × 12.66 % × 60 / 365 = 104.054794… → 104.05
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '5000',
      due: '2023-08-31',
      until: '2023-10-30',
      rateClause: '10',
    });
    expect(s.lines[0]).toMatchObject({ days: 60, ratePct: '12.66', rateKind: 'floor' });
    expect(major(s.totals.interestOutstanding)).toBe('104.05');
    expect(s.warnings.map((w) => w.code)).toContain('FLOOR_APPLIED');
    expect(s.lines[0]?.rows.map((r) => r.series)).toEqual(['FR_TIL_OTHER']);
  });

  it('EX4 uses a contractual rate at or above the floor instead of ECB + 10', () => {
    // 2025-H1 floor 3 × 3.71 = 11.13 % (legal_rules.md §2); clause 15 % applies.
    // 01/02–02/03/2025 = 30 days: 2 000 × 15 % × 30 / 365 = 24.657534… → 24.66
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '2000',
      due: '2025-01-31',
      until: '2025-03-02',
      rateClause: '15',
    });
    expect(s.lines[0]).toMatchObject({ days: 30, ratePct: '15.00', rateKind: 'contractual' });
    expect(major(s.totals.interestOutstanding)).toBe('24.66');
    expect(s.warnings).toEqual([]);
  });

  it('EX5 crosses 1 July 2024: 14.50 % then 14.25 %', () => {
    // 01/06–30/06 = 30 days: 1 200 × 14.50 % × 30 / 365 = 14.301369…
    // 01/07–31/08 = 62 days: 1 200 × 14.25 % × 62 / 365 = 29.046575…  total 43.347945… → 43.35
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '1200',
      due: '2024-05-31',
      until: '2024-08-31',
    });
    expect(s.lines.map((l) => [l.days, l.ratePct])).toEqual([
      [30, '14.50'],
      [62, '14.25'],
    ]);
    expect(major(s.totals.interestOutstanding)).toBe('43.35');
  });

  it('EX6 keeps 10 % for all of 2022-H2 although the ECB raised its rate on 27 July', () => {
    // legal_rules.md §2: 2022-H2 = 10.00 % (hike after the 1 July reference date).
    // 01/07–31/12/2022 = 184 days: 3 000 × 10 % × 184 / 365 = 151.232876… → 151.23
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '3000',
      due: '2022-06-30',
      until: '2022-12-31',
    });
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({ days: 184, ratePct: '10.00' });
    expect(major(s.totals.interestOutstanding)).toBe('151.23');
  });

  it('EX7 crosses 1 January 2023: 10 % then 12.50 %', () => {
    // 01/12–31/12/2022 = 31 days: 8 000 × 10 % × 31 / 365 = 67.945205…
    // 01/01–28/02/2023 = 59 days: 8 000 × 12.5 % × 59 / 365 = 161.643835…  total 229.589041… → 229.59
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '8000',
      due: '2022-11-30',
      until: '2023-02-28',
    });
    expect(s.lines.map((l) => [l.period, l.days, l.ratePct])).toEqual([
      ['2022-H2', 31, '10.00'],
      ['2023-H1', 59, '12.50'],
    ]);
    expect(major(s.totals.interestOutstanding)).toBe('229.59');
  });

  it('EX8 divides by 366 in a leap year when the act/366-leap convention is chosen', () => {
    // 01/02–01/03/2024 = 30 days at 14.50 %: act/366: 10 000 × 14.5 % × 30 / 366 = 118.852459… → 118.85
    // (act/365 would give 119.178082… → 119.18)
    const leap = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '10000',
      due: '2024-01-31',
      until: '2024-03-01',
      dayCount: 'act/366-leap',
    });
    const normal = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '10000',
      due: '2024-01-31',
      until: '2024-03-01',
    });
    expect(leap.lines[0]).toMatchObject({ days: 30, dayBasis: 366 });
    expect(major(leap.totals.interestOutstanding)).toBe('118.85');
    expect(major(normal.totals.interestOutstanding)).toBe('119.18');
  });

  it('EX9 counts 30/360 days (30E/360) when chosen', () => {
    // 31/03→30/06 = 90 days, 30/06→30/09 = 90 days (30E/360).
    // 10 000 × 13.15 % × 90 / 360 = 328.75; 10 000 × 12.15 % × 90 / 360 = 303.75; total 632.50
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '10000',
      due: '2025-03-31',
      until: '2025-09-30',
      dayCount: '30/360',
    });
    expect(s.lines.map((l) => [l.days, l.dayBasis])).toEqual([
      [90, 360],
      [90, 360],
    ]);
    expect(major(s.totals.interestOutstanding)).toBe('632.50');
  });

  it('EX10 uses the 2026-H2 ECB row (12.40 %), now confirmed by the ECB release (no warning)', () => {
    // legal_rules.md §2: 2026-H2 = 12.40 %, provisional in the research, confirmed by
    // VERIFICATION.md (ecb.mp260611~4d41bd5e83). 01/07–31/07/2026 = 31 days:
    // 1 000 × 12.40 % × 31 / 365 = 10.531506… → 10.53
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '1000',
      due: '2026-06-30',
      until: '2026-07-31',
    });
    expect(s.lines[0]).toMatchObject({ days: 31, ratePct: '12.40' });
    expect(s.lines[0]?.rows[0]).toMatchObject({ provisional: false, status: 'verified' });
    expect(s.lines[0]?.rows[0]?.source).toContain('ecb.mp260611~4d41bd5e83');
    expect(major(s.totals.interestOutstanding)).toBe('10.53');
    expect(s.warnings).toEqual([]);
    expect(s.rateStatus).toBe('verified');
  });
});

describe('France B2C (art. 1231-6 C. civ.): taux légal "autres cas" from the mise en demeure', () => {
  it('EX11 runs legal interest only from the day after the formal notice, without indemnity', () => {
    // legal_rules.md §3: TIL autres cas 2025-H2 = 2.76 %. 16/09–15/12/2025 = 91 days:
    // 1 500 × 2.76 % × 91 / 365 = 10.321643… → 10.32; no 40 € against a consumer.
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2c',
      amount: '1500',
      due: '2025-05-31',
      until: '2025-12-15',
      notice: '2025-09-15',
    });
    expect(s.interestFrom).toBe('2025-09-16');
    expect(s.lines[0]).toMatchObject({ days: 91, ratePct: '2.76' });
    expect(s.lines[0]?.rows[0]).toMatchObject({ series: 'FR_TIL_OTHER', effectiveFrom: '2025-07-01' });
    expect(major(s.totals.interestOutstanding)).toBe('10.32');
    expect(s.indemnity).toBeNull();
    expect(s.collectionFees.allowed).toBe(false);
    expect(major(s.totals.totalDue)).toBe('1510.32');
  });

  it('EX12 crosses 1 January 2026: 2.76 % then 2.62 %', () => {
    // 01/12–31/12/2025 = 31 days: 2 000 × 2.76 % × 31 / 365 = 4.688219…
    // 01/01–28/02/2026 = 59 days: 2 000 × 2.62 % × 59 / 365 = 8.470136…  total 13.158356… → 13.16
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2c',
      amount: '2000',
      due: '2025-10-31',
      until: '2026-02-28',
      notice: '2025-11-30',
    });
    expect(s.lines.map((l) => [l.days, l.ratePct])).toEqual([
      [31, '2.76'],
      [59, '2.62'],
    ]);
    expect(major(s.totals.interestOutstanding)).toBe('13.16');
  });

  it('EX13 computes no interest without a formal notice and says why', () => {
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2c',
      amount: '1500',
      due: '2025-05-31',
      until: '2025-12-15',
    });
    expect(s.lines).toEqual([]);
    expect(s.totals.interestOutstanding.amount).toBe(0);
    expect(s.warnings.map((w) => w.code)).toEqual(['NO_INTEREST_WITHOUT_NOTICE']);
  });
});

describe('Germany (§288 BGB): Basiszinssatz + 9 B2B / + 5 B2C, 40 € Pauschale', () => {
  it('EX14 B2B 2025-H2 at 1.27 + 9 = 10.27 % with the 40 € Pauschale', () => {
    // legal_rules.md §6.2 / de_basiszinssatz.csv: 2025-H2 B2B 10.27 %.
    // 16/07–13/10/2025 = 90 days: 5 000 × 10.27 % × 90 / 365 = 126.616438… → 126.62
    const s = run({
      jurisdiction: 'DE',
      kind: 'b2b',
      amount: '5000',
      due: '2025-07-15',
      until: '2025-10-13',
    });
    expect(s.lines[0]).toMatchObject({ days: 90, ratePct: '10.27' });
    expect(major(s.totals.interestOutstanding)).toBe('126.62');
    expect(major(s.totals.indemnityOutstanding)).toBe('40.00');
  });

  it('EX15 B2C 2025-H2 at 1.27 + 5 = 6.27 %, no Pauschale', () => {
    // 5 000 × 6.27 % × 90 / 365 = 77.301369… → 77.30
    const s = run({
      jurisdiction: 'DE',
      kind: 'b2c',
      amount: '5000',
      due: '2025-07-15',
      until: '2025-10-13',
    });
    expect(s.lines[0]?.ratePct).toBe('6.27');
    expect(major(s.totals.interestOutstanding)).toBe('77.30');
    expect(s.indemnity).toBeNull();
  });

  it('EX16 B2B across 1 January 2025: 12.37 % then 11.27 %', () => {
    // 2024-H2 3.37 + 9 = 12.37; 2025-H1 2.27 + 9 = 11.27.
    // 31 days: 10 000 × 12.37 % × 31 / 365 = 105.060273…; 31 days: 10 000 × 11.27 % × 31 / 365 = 95.717808…
    // total 200.778082… → 200.78
    const s = run({
      jurisdiction: 'DE',
      kind: 'b2b',
      amount: '10000',
      due: '2024-11-30',
      until: '2025-01-31',
    });
    expect(s.lines.map((l) => [l.days, l.ratePct])).toEqual([
      [31, '12.37'],
      [31, '11.27'],
    ]);
    expect(major(s.totals.interestOutstanding)).toBe('200.78');
  });

  it('EX17 imputes a part payment to costs, then interest, then principal (§367 BGB)', () => {
    // 01/02–02/03/2025 = 30 days: 10 000 × 11.27 % × 30 / 365 = 92.630136…
    // payment 1 000 → Pauschale 40, interest 92.630136…, principal 867.369863… → 9 132.630136…
    // 03/03–31/03 = 29 days: 9 132.630136 × 11.27 % × 29 / 365 = 81.775822… → 81.78
    // total due 9 132.630136 + 81.775822 = 9 214.405958… → 9 214.41 (Pauschale already paid)
    const s = run({
      jurisdiction: 'DE',
      kind: 'b2b',
      amount: '10000',
      due: '2025-01-31',
      until: '2025-03-31',
      payments: [['2025-03-02', '1000']],
    });
    expect(s.payments[0]).toMatchObject({
      toCosts: { amount: 4000 },
      toInterest: { amount: 9263 },
      toPrincipal: { amount: 86737 },
    });
    expect(major(s.totals.interestOutstanding)).toBe('81.78');
    expect(major(s.totals.indemnityOutstanding)).toBe('0.00');
    expect(major(s.totals.totalDue)).toBe('9214.41');
  });

  it('EX18 uses the negative base rate of 2022 (-0.88 + 5 = 4.12 % B2C)', () => {
    // 01/04–30/06/2022 = 91 days: 1 000 × 4.12 % × 91 / 365 = 10.271780… → 10.27
    const s = run({
      jurisdiction: 'DE',
      kind: 'b2c',
      amount: '1000',
      due: '2022-03-31',
      until: '2022-06-30',
    });
    expect(s.lines[0]).toMatchObject({ days: 91, ratePct: '4.12' });
    expect(major(s.totals.interestOutstanding)).toBe('10.27');
  });
});

describe('United Kingdom (Late Payment Act 1998): base rate on 31 Dec / 30 Jun + 8 %', () => {
  it('EX19 matches the payontime.co.uk daily-interest method at 13.25 % with £70', () => {
    // payontime.co.uk: 2024-H1 statutory rate 13.25 % (base 5.25 on 31 Dec 2023 + 8).
    // 02/03–31/03/2024 = 30 days: 1 000 × 13.25 % × 30 / 365 = 10.890410… → 10.89; £1 000 → £70.
    const s = run({
      jurisdiction: 'GB',
      kind: 'b2b',
      amount: '1000',
      due: '2024-03-01',
      until: '2024-03-31',
    });
    expect(s.lines[0]).toMatchObject({ days: 30, ratePct: '13.25' });
    expect(s.lines[0]?.rows[0]).toMatchObject({ series: 'BOE_BASE', effectiveFrom: '2023-08-03' });
    expect(major(s.totals.interestOutstanding)).toBe('10.89');
    expect(s.indemnity?.amount).toEqual({ amount: 7000, currency: 'GBP' });
  });

  it('EX20 charges £100 on a £15 000 debt at 12.25 % (2025-H2)', () => {
    // base 4.25 on 30 Jun 2025 + 8 = 12.25 %. 01/09–29/11/2025 = 90 days:
    // 15 000 × 12.25 % × 90 / 365 = 453.082191… → 453.08
    const s = run({
      jurisdiction: 'GB',
      kind: 'b2b',
      amount: '15000',
      due: '2025-08-31',
      until: '2025-11-29',
    });
    expect(major(s.totals.interestOutstanding)).toBe('453.08');
    expect(major(s.totals.indemnityOutstanding)).toBe('100.00');
  });

  it('EX21 charges £40 under £1 000 and crosses 1 January 2026 (12.25 % → 11.75 %)', () => {
    // 16/12–31/12 = 16 days: 999.99 × 12.25 % × 16 / 365 = 5.369809…
    // 01/01–14/01 = 14 days: 999.99 × 11.75 % × 14 / 365 = 4.506804…  total 9.876613… → 9.88
    const s = run({
      jurisdiction: 'GB',
      kind: 'b2b',
      amount: '999.99',
      due: '2025-12-15',
      until: '2026-01-14',
    });
    expect(s.lines.map((l) => [l.days, l.ratePct])).toEqual([
      [16, '12.25'],
      [14, '11.75'],
    ]);
    expect(major(s.totals.interestOutstanding)).toBe('9.88');
    expect(major(s.totals.indemnityOutstanding)).toBe('40.00');
  });

  it('EX22 recomputes on the balance after a part payment', () => {
    // 01/10–30/10/2025 = 30 days: 5 000 × 12.25 % × 30 / 365 = 50.342465…
    // payment 2 000 → interest 50.342465…, principal 1 949.657534… → 3 050.342465…
    // 31/10–29/11 = 30 days: 3 050.342465 × 12.25 % × 30 / 365 = 30.712352… → 30.71
    // total 3 050.342465 + 30.712352 + 70 = 3 151.054817… → 3 151.05
    const s = run({
      jurisdiction: 'GB',
      kind: 'b2b',
      amount: '5000',
      due: '2025-09-30',
      until: '2025-11-29',
      payments: [['2025-10-30', '2000']],
    });
    expect(s.payments[0]).toMatchObject({ toInterest: { amount: 5034 }, toPrincipal: { amount: 194966 } });
    expect(major(s.totals.interestOutstanding)).toBe('30.71');
    expect(major(s.totals.totalDue)).toBe('3151.05');
  });

  it('EX23 gives no statutory interest on a consumer debt and says so', () => {
    const s = run({ jurisdiction: 'GB', kind: 'b2c', amount: '500', due: '2025-09-30', until: '2025-11-29' });
    expect(s.lines).toEqual([]);
    expect(s.indemnity).toBeNull();
    expect(s.warnings.map((w) => w.code)).toEqual(['NOT_APPLICABLE']);
  });
});

describe('EU generic (Directive 2011/7/EU): ECB + 8, 40 €', () => {
  it('EX24 applies ECB 2.15 + 8 = 10.15 % in 2025-H2', () => {
    // legal_rules.md §6.5: Italy (same directive rate) 2026-H1 10.15 % with the same ECB 2.15.
    // 01/09–31/10/2025 = 61 days: 7 000 × 10.15 % × 61 / 365 = 118.741095… → 118.74
    const s = run({
      jurisdiction: 'EU',
      kind: 'b2b',
      amount: '7000',
      due: '2025-08-31',
      until: '2025-10-31',
    });
    expect(s.lines[0]).toMatchObject({ days: 61, ratePct: '10.15' });
    expect(major(s.totals.interestOutstanding)).toBe('118.74');
    expect(major(s.totals.indemnityOutstanding)).toBe('40.00');
  });
});
