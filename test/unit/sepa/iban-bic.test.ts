import { describe, expect, it } from 'vitest';
import {
  formatIban,
  ibanProblem,
  isValidBic,
  isValidIban,
  mod97,
  normalizeIban,
} from '../../../src/domain/sepa/index.js';

describe('IBAN (ISO 13616)', () => {
  it.each([
    'FR76 3000 6000 0112 3456 7890 189',
    'DE89 3704 0044 0532 0130 00',
    'GB82 WEST 1234 5698 7654 32',
    'DE71110220330123456789',
    'FR1420041010050500013M02606',
    'BE72000000001616',
    'CH2801234000123456789',
    'NL56AGDH9619008421',
    'fr76 3000 6000 0112 3456 7890 189',
  ])('accepts the valid IBAN %s', (iban) => {
    expect(ibanProblem(iban)).toBeNull();
    expect(isValidIban(iban)).toBe(true);
  });

  it.each([
    ['FR76 3000 6000 0112 3456 7890 188', 'checksum'],
    ['DE89 3704 0044 0532 0130 01', 'checksum'],
    ['GB82 WEST 1234 5698 7654 23', 'checksum'],
    ['GB28 WEST 1234 5698 7654 32', 'checksum'],
    ['DE89 3704 0044 0532 0130 0', 'length'],
    ['FR76 3000 6000 0112 3456 7890 1890', 'length'],
    ['XX82 WEST 1234 5698 7654 32', 'country'],
    ['ABC', 'format'],
    ['', 'format'],
    ['DE8937040044053201300!', 'format'],
    ['1E89370400440532013000', 'format'],
  ])('refuses %s because of its %s', (iban, problem) => {
    expect(ibanProblem(iban)).toBe(problem);
    expect(isValidIban(iban)).toBe(false);
  });

  it('formats in groups of four and normalises to the electronic form', () => {
    expect(formatIban('fr7630006000011234567890189')).toBe('FR76 3000 6000 0112 3456 7890 189');
    expect(formatIban('DE89370400440532013000')).toBe('DE89 3704 0044 0532 0130 00');
    expect(normalizeIban(' GB82 west 1234\u00a05698 7654 32 ')).toBe('GB82WEST12345698765432');
  });

  it('computes mod 97 on letters as two digits without big integers', () => {
    // 3214282912345698765432161182 mod 97 = 1 is the worked example of the GB IBAN.
    expect(mod97('WEST12345698765432GB82')).toBe(1);
    expect(mod97('A')).toBe(10);
    expect(mod97('Z')).toBe(35);
    expect(() => mod97('a')).toThrow(RangeError);
  });
});

describe('BIC (ISO 9362)', () => {
  it.each(['BHBLDEHHXXX', 'BPOTBEB1', 'DABAIE2D', 'UBSWCHZH80A', ' bnpafrpp '])('accepts %s', (bic) => {
    expect(isValidBic(bic)).toBe(true);
  });
  it.each(['BHBLDE', 'BHBLDEHHXXXX', 'BHBLDEHHXX', 'BHBLDEH ', 'ABCDEFGHI', '1HBLDEHH', 'BHBL1EHH', ''])(
    'refuses %j',
    (bic) => {
      expect(isValidBic(bic)).toBe(false);
    },
  );
});
