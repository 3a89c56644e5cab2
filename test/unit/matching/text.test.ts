import { describe, expect, it } from 'vitest';
import {
  compactInvoiceNumber,
  creditorReferencesInText,
  invoiceNumberCandidates,
  namesMatch,
  oldestFirst,
  spread,
} from '../../../src/domain/matching/index.js';
import { money } from '../../../src/domain/money/index.js';

describe('remittance text helpers', () => {
  it('compacts invoice numbers whatever their separators, case and accents', () => {
    expect(compactInvoiceNumber('F-2024-118')).toBe('F2024118');
    expect(compactInvoiceNumber('f 2024/118')).toBe('F2024118');
    expect(compactInvoiceNumber('Fé.2024_118')).toBe('FE2024118');
  });

  it('offers tokens, adjacent runs and label-stripped forms as candidates', () => {
    const candidates = invoiceNumberCandidates('Facture n° F 2024 118, merci');
    expect(candidates.has('F2024118')).toBe(true);
    expect(candidates.has('FACTURE')).toBe(true);
    expect(candidates.has('2024118')).toBe(true);
    expect(candidates.has('F202411')).toBe(false);
  });

  it('finds RF references in text, printed or compact, and skips invalid ones', () => {
    expect(creditorReferencesInText('virement RF18 5390 0754 7034 merci')).toEqual(['RF18539007547034']);
    expect(creditorReferencesInText('rf712348231/juin')).toEqual(['RF712348231']);
    expect(creditorReferencesInText('RF19 5390 0754 7034')).toEqual([]);
    expect(creditorReferencesInText('REFERENCE 12')).toEqual([]);
  });

  it.each([
    ['Dupont SARL', 'SARL DUPONT', true],
    ['Dupont SARL', 'dupont', true],
    ['Leroy Jean', 'M. JEAN LEROY', true],
    ['Société Générale Éclairage', 'SOCIETE GENERALE ECLAIRAGE SA', true],
    ['Dupont SARL', 'Durand SARL', false],
    ['Martin & Fils', 'Martin Dupont', false],
    ['SARL', 'SARL', false],
    ['Lot 1 SCI', 'LOT 2', false],
    ['Lot 1 SCI', 'SCI LOT 1', true],
  ])('namesMatch(%j, %j) is %s', (a, b, expected) => {
    expect(namesMatch(a, b)).toBe(expected);
  });
});

describe('allocation order', () => {
  const inv = (invoiceId: string, invoiceNumber: string, dueDate: string, cents: number) => ({
    invoiceId,
    invoiceNumber,
    customerId: 'c',
    dueDate,
    balanceDue: money(cents, 'EUR'),
  });

  it('orders by due date, then invoice number (Code civil art. 1342-10)', () => {
    const ordered = oldestFirst([
      inv('a', 'F-3', '2024-03-01', 1),
      inv('b', 'F-2', '2024-01-01', 1),
      inv('c', 'F-1', '2024-03-01', 1),
    ]);
    expect(ordered.map((i) => i.invoiceId)).toEqual(['b', 'c', 'a']);
  });

  it('never allocates more than a balance and reports what is left', () => {
    const invoices = [
      inv('a', 'F-1', '2024-01-01', 300),
      inv('b', 'F-2', '2024-02-01', 0),
      inv('c', 'F-3', '2024-03-01', 500),
    ];
    const result = spread(money(1000, 'EUR'), invoices, (i) => i.balanceDue.amount);
    expect(result.allocations.map((a) => [a.invoiceId, a.amount.amount])).toEqual([
      ['a', 300],
      ['c', 500],
    ]);
    expect(result.unallocated).toEqual(money(200, 'EUR'));
    expect(spread(money(1, 'EUR'), invoices, (i) => i.balanceDue.amount).allocations).toHaveLength(1);
  });
});
