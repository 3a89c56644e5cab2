import { describe, expect, it } from 'vitest';
import { limitationDeadline, limitationStatus } from '../../../src/domain/law/limitation.js';
import { catchError } from './helpers.js';

describe('limitation periods', () => {
  it('gives 5 years between traders from the performance date (L110-4 C. com.)', () => {
    const r = limitationDeadline({
      jurisdiction: 'FR',
      kind: 'b2b',
      performanceDate: '2021-03-15',
      issueDate: '2021-03-31',
    });
    expect(r).toMatchObject({
      start: '2021-03-15',
      startBasis: 'performance',
      years: 5,
      deadline: '2026-03-15',
    });
  });

  it('gives 2 years against a consumer (L218-2 C. consom.), falling back to the issue date', () => {
    const r = limitationDeadline({ jurisdiction: 'FR', kind: 'b2c', issueDate: '2024-05-10' });
    expect(r).toMatchObject({ start: '2024-05-10', startBasis: 'issue', years: 2, deadline: '2026-05-10' });
  });

  it('restarts a period of the same length on a part payment or a signed plan (art. 2240, 2231 C. civ.)', () => {
    const r = limitationDeadline({
      jurisdiction: 'FR',
      kind: 'b2c',
      performanceDate: '2024-01-10',
      events: [
        { type: 'payment_plan_signed', date: '2025-03-01' },
        { type: 'part_payment', date: '2025-09-20' },
      ],
    });
    expect(r.deadline).toBe('2027-09-20');
    expect(r.interruptions.map((i) => i.newDeadline)).toEqual(['2027-03-01', '2027-09-20']);
  });

  it('is not interrupted by a formal notice, and says why', () => {
    const r = limitationDeadline({
      jurisdiction: 'FR',
      kind: 'b2b',
      performanceDate: '2021-03-15',
      events: [{ type: 'formal_notice', date: '2025-01-10' }],
    });
    expect(r.deadline).toBe('2026-03-15');
    expect(r.ignored[0]?.reason).toMatch(/does not interrupt/);
  });

  it('does not revive a lapsed claim with a later acknowledgment', () => {
    const r = limitationDeadline({
      jurisdiction: 'FR',
      kind: 'b2c',
      performanceDate: '2020-01-10',
      events: [{ type: 'acknowledgment', date: '2023-01-01' }],
    });
    expect(r.deadline).toBe('2022-01-10');
    expect(r.ignored[0]?.reason).toMatch(/lapsed on 2022-01-10/);
  });

  it('caps repeated restarts at 20 years from the start (art. 2232 C. civ.)', () => {
    const r = limitationDeadline({
      jurisdiction: 'FR',
      kind: 'b2b',
      performanceDate: '2010-01-01',
      events: ['2014-06-01', '2019-05-01', '2024-04-01', '2029-03-01'].map((date) => ({
        type: 'acknowledgment' as const,
        date,
      })),
    });
    expect(r.deadline).toBe('2030-01-01');
  });

  it('runs 3 years from the end of the year in Germany (§195, §199 BGB) and restarts from the acknowledgment (§212)', () => {
    const plain = limitationDeadline({ jurisdiction: 'DE', kind: 'b2b', dueDate: '2023-05-10' });
    expect(plain.deadline).toBe('2026-12-31');
    const ack = limitationDeadline({
      jurisdiction: 'DE',
      kind: 'b2c',
      dueDate: '2023-05-10',
      events: [{ type: 'part_payment', date: '2025-02-01' }],
    });
    expect(ack.deadline).toBe('2028-02-01');
  });

  it('runs 6 years from the due date in the UK (Limitation Act 1980 s.5)', () => {
    expect(limitationDeadline({ jurisdiction: 'GB', kind: 'b2b', dueDate: '2020-01-31' }).deadline).toBe(
      '2026-01-31',
    );
  });

  it('lists the 90, 30 and 7 day warning dates', () => {
    const r = limitationDeadline({ jurisdiction: 'FR', kind: 'b2b', performanceDate: '2021-03-15' });
    expect(r.alerts).toEqual([
      { daysBefore: 90, date: '2025-12-15' },
      { daysBefore: 30, date: '2026-02-13' },
      { daysBefore: 7, date: '2026-03-08' },
    ]);
  });

  it('reports the tightest threshold reached, or the lapse', () => {
    const r = { deadline: '2026-03-15' };
    expect(limitationStatus(r, '2025-12-14')).toEqual({ state: 'running', daysLeft: 91 });
    expect(limitationStatus(r, '2025-12-15')).toEqual({ state: 'warning', daysLeft: 90, threshold: 90 });
    expect(limitationStatus(r, '2026-02-20')).toEqual({ state: 'warning', daysLeft: 23, threshold: 30 });
    expect(limitationStatus(r, '2026-03-15')).toEqual({ state: 'warning', daysLeft: 0, threshold: 7 });
    expect(limitationStatus(r, '2026-03-16')).toEqual({ state: 'lapsed', daysSince: 1 });
  });

  it('refuses the EU generic jurisdiction (limitation is national) and a claim without dates', () => {
    expect(
      catchError(() => limitationDeadline({ jurisdiction: 'EU', kind: 'b2b', dueDate: '2025-01-01' }))
        .message,
    ).toMatch(/no harmonised limitation/);
    expect(catchError(() => limitationDeadline({ jurisdiction: 'FR', kind: 'b2b' })).details[0]?.field).toBe(
      'performanceDate',
    );
  });
});
