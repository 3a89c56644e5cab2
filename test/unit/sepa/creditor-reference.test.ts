import { describe, expect, it } from 'vitest';
import {
  createCreditorReference,
  creditorReferenceBase,
  creditorReferenceProblem,
  customerCreditorReference,
  formatCreditorReference,
  invoiceSelectionCreditorReference,
  isValidCreditorReference,
} from '../../../src/domain/sepa/index.js';
import { AppError } from '../../../src/errors.js';

describe('ISO 11649 structured creditor reference', () => {
  // The standard's own example (RF18 5390 0754 7034, with and without leading zeros) and the
  // references other open-source implementations test against.
  it.each([
    'RF18 5390 0754 7034',
    'RF18539007547034',
    'RF18000000000539007547034',
    'RF712348231',
    'RF71 2348 231',
    'RF471234567890',
    'RF49N73GBST73AKL38ZX',
    'RF08 B370 0321',
    ' RF19N8BG33KQ9HSS7BG ',
    'RF66qs9H7NJ4fvs99SPO',
    'RF040',
  ])('validates %j', (ref) => {
    expect(creditorReferenceProblem(ref)).toBeNull();
    expect(isValidCreditorReference(ref)).toBe(true);
  });

  it.each([
    ['RF04', 'format'],
    ['RF 04', 'format'],
    ['RF04GHJ74CV9B4DFH99RXPLMMQ43JKL0', 'format'],
    ['RF20.0000.3', 'format'],
    ['DK5750510001322617', 'format'],
    ['RFA8FN3DD938494', 'format'],
    ['RF0CNHF', 'format'],
    ['RF43029348BDEF3823', 'checksum'],
    ['RF0072', 'check-digits'],
    ['RF0154', 'check-digits'],
    ['RF991X', 'check-digits'],
    ['RF18 5390 0754 7035', 'checksum'],
    ['RF81 5390 0754 7034', 'checksum'],
    ['RF18 5390 0745 7034', 'checksum'],
  ])('refuses %j (%s)', (ref, problem) => {
    expect(creditorReferenceProblem(ref)).toBe(problem);
    expect(isValidCreditorReference(ref)).toBe(false);
  });

  it('generates the check digits of the standard examples', () => {
    expect(createCreditorReference('539007547034')).toBe('RF18539007547034');
    expect(createCreditorReference('2348231')).toBe('RF712348231');
    expect(createCreditorReference('B334BOPQE39D902DC')).toBe('RF91B334BOPQE39D902DC');
    expect(createCreditorReference('7')).toBe('RF097');
  });

  it('formats in groups of four', () => {
    expect(formatCreditorReference('RF18539007547034')).toBe('RF18 5390 0754 7034');
    expect(formatCreditorReference('rf41bd93dj3qggd9ji22d')).toBe('RF41 BD93 DJ3Q GGD9 JI22 D');
    expect(formatCreditorReference('RF15093')).toBe('RF15 093');
  });

  it('refuses a base that is empty, too long or not alphanumeric, naming the field', () => {
    for (const base of ['', 'A'.repeat(22), 'F-2024-118']) {
      try {
        createCreditorReference(base);
        expect.unreachable(`base ${base} should be refused`);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).details[0]?.field).toBe('reference');
      }
    }
  });

  // MOD 97-10 guarantees detection when the substitution keeps the digit expansion's length
  // (digit for digit, letter for letter) and for swaps of two adjacent digits; a letter
  // replaced by a digit shifts the expansion and is caught only 96 times in 97.
  it('detects every same-kind substitution and adjacent digit swap in generated references', () => {
    const bases = ['CCUST042', 'S0123456789ABCDEFGHIJ', '7', 'F2024118'];
    const digits = '0123456789';
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let tried = 0;
    for (const base of bases) {
      const ref = createCreditorReference(base);
      expect(isValidCreditorReference(ref)).toBe(true);
      const body = ref.slice(2);
      for (let i = 0; i < body.length; i++) {
        const current = body[i] ?? '';
        const sameKind = digits.includes(current) ? digits : letters;
        for (const c of sameKind) {
          if (c === current) continue;
          const tampered = `RF${body.slice(0, i)}${c}${body.slice(i + 1)}`;
          tried++;
          expect(isValidCreditorReference(tampered), tampered).toBe(false);
        }
        const next = body[i + 1];
        if (next !== undefined && next !== current && digits.includes(current) && digits.includes(next)) {
          tried++;
          expect(isValidCreditorReference(`RF${body.slice(0, i)}${next}${current}${body.slice(i + 2)}`)).toBe(
            false,
          );
        }
      }
    }
    expect(tried).toBeGreaterThan(500);
  });

  describe('references for the debtor portal', () => {
    it('keeps a short alphanumeric customer reference readable', () => {
      const ref = customerCreditorReference('org-1', 'CUST042');
      expect(ref).toBe('RF81CCUST042');
      expect(creditorReferenceBase(ref)).toBe('CCUST042');
    });

    it('hashes other customer references so that "A-1" and "A1" differ, per organisation', () => {
      const dashed = customerCreditorReference('org-1', 'A-1');
      const plain = customerCreditorReference('org-1', 'A1');
      expect(dashed).not.toBe(plain);
      expect(isValidCreditorReference(dashed)).toBe(true);
      expect(dashed.length).toBeLessThanOrEqual(25);
      expect(customerCreditorReference('org-2', 'A-1')).not.toBe(dashed);
      expect(customerCreditorReference('org-1', 'A-1')).toBe(dashed);
    });

    it('gives a selection of invoices one stable reference whatever the order', () => {
      const a = invoiceSelectionCreditorReference('org-1', 'CUST042', ['F-2024-118', 'F-2024-119']);
      const b = invoiceSelectionCreditorReference('org-1', 'CUST042', [
        'F-2024-119',
        'F-2024-118',
        'F-2024-118',
      ]);
      const other = invoiceSelectionCreditorReference('org-1', 'CUST042', ['F-2024-118']);
      expect(a).toBe(b);
      expect(a).not.toBe(other);
      expect(isValidCreditorReference(a)).toBe(true);
      expect(a.length).toBe(25);
      expect(creditorReferenceBase(a).startsWith('S')).toBe(true);
      expect(() => invoiceSelectionCreditorReference('org-1', 'CUST042', [])).toThrow(AppError);
    });
  });
});
