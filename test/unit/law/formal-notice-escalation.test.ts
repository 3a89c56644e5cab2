import { describe, expect, it } from 'vitest';
import {
  competentCourt,
  costBenefit,
  departmentOf,
  smallClaimsEligibility,
} from '../../../src/domain/law/escalation.js';
import { buildFormalNotice, type FormalNoticeInput } from '../../../src/domain/law/formal-notice.js';
import { builtInRates } from '../../../src/domain/law/rate-table.js';
import { parseAmount } from '../../../src/domain/money/index.js';
import { catchError, major } from './helpers.js';

const eur = (s: string) => parseAmount(s, 'EUR');
const party = { addressLines: ['12 rue des Lilas'], postalCode: '69003', city: 'Lyon' };
const notice = (patch: Partial<FormalNoticeInput> = {}): FormalNoticeInput => ({
  creditor: { name: 'Dupont Industrie SAS', siren: '123456789', ...party },
  debtor: { name: 'Martin Bâtiment SARL', kind: 'b2b', ...party, postalCode: '75008', city: 'Paris' },
  invoices: [
    { invoiceNumber: 'F-2025-001', issueDate: '2025-03-01', dueDate: '2025-03-31', amount: eur('10000') },
    { invoiceNumber: 'F-2025-044', issueDate: '2025-05-31', dueDate: '2025-06-30', amount: eur('2000') },
  ],
  date: '2025-09-30',
  ...patch,
});

describe('mise en demeure content', () => {
  it('claims principal, penalties and one indemnity per invoice, computed to the letter date', () => {
    // F-2025-001: 634.10 € (worked example EX1) + 40 €.
    // F-2025-044: 01/07–30/09 = 92 days: 2 000 × 12.15 % × 92 / 365 = 61.249315… → 61.25, + 40 €.
    // Totals: principal 12 000, penalties 695.35, indemnities 80, total 12 775.35.
    const n = buildFormalNotice(notice(), builtInRates());
    expect(n.invoices.map((i) => [i.invoiceNumber, major(i.interest), major(i.indemnity)])).toEqual([
      ['F-2025-001', '634.10', '40.00'],
      ['F-2025-044', '61.25', '40.00'],
    ]);
    expect(major(n.totals.total)).toBe('12775.35');
    expect(n.deadline).toBe('2025-10-15');
    expect(n.text).toContain('Objet : MISE EN DEMEURE DE PAYER');
    expect(n.text).toContain('au plus tard le 2025-10-15');
    expect(n.text).toContain('Total : 12 775,35 €');
    expect(n.legalReferences).toContain('art. L441-10 C. com.');
  });

  it('moves the deadline past a public holiday and a weekend (15 August 2025)', () => {
    // 31/07/2025 + 15 days = Friday 15 August (Assomption) → Monday 18 August.
    const first = notice().invoices.slice(0, 1);
    const n = buildFormalNotice(notice({ date: '2025-07-31', invoices: first }), builtInRates());
    expect(n.deadline).toBe('2025-08-18');
  });

  it('claims no interest or fees from a consumer: the letter itself starts legal interest', () => {
    const n = buildFormalNotice(notice({ debtor: { ...notice().debtor, kind: 'b2c' } }), builtInRates());
    expect(n.totals.interest.amount).toBe(0);
    expect(n.totals.indemnity.amount).toBe(0);
    expect(major(n.totals.total)).toBe('12000.00');
    expect(n.consequences.join(' ')).toMatch(/art\. 1231-6.*L111-8 CPCE/);
    expect(n.warnings).toEqual([]);
  });

  it('refuses an invoice that is not overdue on the letter date', () => {
    const err = catchError(() => buildFormalNotice(notice({ date: '2025-06-30' }), builtInRates()));
    expect(err.message).toMatch(/invoice F-2025-044 is not overdue on 2025-06-30/);
  });

  it('refuses invoices in different currencies in one letter', () => {
    const [first, second] = notice().invoices;
    if (!first || !second) throw new Error('fixture');
    const mixed = [first, { ...second, amount: parseAmount('10', 'USD') }];
    expect(
      catchError(() => buildFormalNotice(notice({ invoices: mixed }), builtInRates())).details[0]?.field,
    ).toBe('invoices[1].amount');
  });
});

describe('escalation helpers', () => {
  it('opens the small-claims procedure up to 5 000 € principal and interest, inclusive', () => {
    expect(smallClaimsEligibility(eur('4800'), eur('200')).eligible).toBe(true);
    expect(smallClaimsEligibility(eur('4800'), eur('200.01')).eligible).toBe(false);
    expect(
      catchError(() => smallClaimsEligibility(parseAmount('10', 'GBP'), parseAmount('0', 'GBP'))).details[0]
        ?.field,
    ).toBe('currency');
  });

  it("picks the commercial court for a trader and the tribunal judiciaire otherwise, in the debtor's département", () => {
    expect(competentCourt({ isTrader: true, postalCode: '75008' }, eur('12000'))).toMatchObject({
      court: 'tribunal_de_commerce',
      injonctionForm: 'Cerfa n° 12946',
      department: '75',
    });
    const consumer = competentCourt({ isTrader: false, postalCode: '20090' }, eur('80000'));
    expect(consumer).toMatchObject({ court: 'tribunal_judiciaire', department: '2A' });
    expect(consumer.notes.join(' ')).toMatch(/contribution pour la justice économique/);
    expect(departmentOf('97110')).toBe('971');
    expect(departmentOf('20200')).toBe('2B');
    expect(catchError(() => departmentOf('7500')).details[0]?.field).toBe('postalCode');
  });

  it('weighs the expected recovery against fixed and success fees', () => {
    // 10 000 × 0.6 = 6 000 expected; fees: 500 fixed + 10 % of 6 000 = 600 + 150 × 0.6 = 90 → 1 190; net 4 810.
    const r = costBenefit(eur('10000'), '0.6', [
      { kind: 'fixed', label: 'court and bailiff', amount: eur('500') },
      { kind: 'percent_on_success', label: 'agency', percent: '10' },
      { kind: 'flat_on_success', label: 'success bonus', amount: eur('150') },
    ]);
    expect([major(r.expectedRecovery), major(r.expectedFees), major(r.expectedNet)]).toEqual([
      '6000.00',
      '1190.00',
      '4810.00',
    ]);
    expect(r.worthIt).toBe(true);
    const poor = costBenefit(eur('300'), '0.2', [{ kind: 'fixed', label: 'court', amount: eur('100') }]);
    expect(poor.worthIt).toBe(false);
    expect(catchError(() => costBenefit(eur('1'), '1.5', [])).details[0]?.field).toBe('probability');
  });
});
