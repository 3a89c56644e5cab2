import { describe, expect, it } from 'vitest';
import { mergeRates } from '../../../src/domain/law/rate-table.js';
import { renderStatementText } from '../../../src/domain/law/statement-text.js';
import { run } from './helpers.js';

describe('statement text and fixed-sum bands', () => {
  it('cites the official source and status of every rate row, and says all are confirmed', () => {
    const text = renderStatementText(
      run({ jurisdiction: 'FR', kind: 'b2b', amount: '1000', due: '2026-06-30', until: '2026-07-31' }),
    );
    expect(text).toContain(
      "row ECB_MRO 2.40 % from 2026-06-17 (built-in, verified): SUPERSEDES single-source/PROVISIONAL flag. ECB press release 'Monetary policy decisions' 11 Jun 2026 https://www.ecb.europa.eu/press/pr/date/2026/html/ecb.mp260611~4d41bd5e83.en.html",
    );
    expect(text).toContain('Rates: every rate used is confirmed by the official source cited on its line');
    expect(text).not.toContain('Warnings');
  });

  it('marks an unverified rate row and lists the warning', () => {
    const rates = mergeRates([
      {
        series: 'ECB_MRO',
        effectiveFrom: '2026-06-17',
        rate: '2.50',
        source: 'a newsletter',
        status: 'unverified',
        provisional: true,
        origin: 'organisation',
      },
    ]);
    const text = renderStatementText(
      run({ jurisdiction: 'FR', kind: 'b2b', amount: '1000', due: '2026-06-30', until: '2026-07-31' }, rates),
    );
    expect(text).toContain('row ECB_MRO 2.50 % from 2026-06-17 (organisation, UNVERIFIED): a newsletter');
    expect(text).toContain('Rates: UNVERIFIED');
    expect(text).toMatch(/Warnings\n {2}! 2026-H2: UNVERIFIED ECB_MRO row 2026-06-17/);
  });

  it('shows waived penalties and indemnity as waived, not as due', () => {
    const s = run({
      jurisdiction: 'FR',
      kind: 'b2b',
      amount: '1000',
      due: '2025-03-31',
      until: '2025-04-30',
      waivePenalties: true,
      waiveIndemnity: true,
    });
    const text = renderStatementText(s);
    expect(text).toMatch(/Interest accrued\s+10,81 €\s+\(waived\)/);
    expect(text).toMatch(/Fixed indemnity\s+40,00 €\s+\(waived, not claimed\)/);
    expect(text).toMatch(/Total due\s+1 000,00 €/);
  });

  it('says no collection fees may be charged to a French consumer', () => {
    const text = renderStatementText(
      run({ jurisdiction: 'FR', kind: 'b2c', amount: '100', due: '2025-03-31', until: '2025-04-30' }),
    );
    expect(text).toContain('No interest runs');
    expect(text).toContain('Collection fees chargeable: no (art. L111-8 CPCE');
  });

  it.each([
    ['999.99', 4000],
    ['1000.00', 7000],
    ['9999.99', 7000],
    ['10000.00', 10000],
  ])('gives a £%s debt a fixed sum of %i pence (Late Payment Act s.5A bands)', (amount, pence) => {
    const s = run({ jurisdiction: 'GB', kind: 'b2b', amount, due: '2025-03-31', until: '2025-04-30' });
    expect(s.indemnity?.amount).toEqual({ amount: pence, currency: 'GBP' });
  });
});
