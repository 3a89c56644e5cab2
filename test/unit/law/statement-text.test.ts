import { describe, expect, it } from 'vitest';
import { renderStatementText } from '../../../src/domain/law/statement-text.js';
import { run } from './helpers.js';

describe('statement text and fixed-sum bands', () => {
  it('marks a provisional rate row and lists the warning', () => {
    const text = renderStatementText(
      run({ jurisdiction: 'FR', kind: 'b2b', amount: '1000', due: '2026-06-30', until: '2026-07-31' }),
    );
    expect(text).toContain('row ECB_MRO 2.40 % from 2026-06-17 (built-in, PROVISIONAL)');
    expect(text).toMatch(/Warnings\n {2}! 2026-H2: provisional ECB_MRO row/);
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
