import { describe, expect, it } from 'vitest';
import { money } from '../../../src/domain/money/index.js';
import {
  customerCreditorReference,
  parseEpcPayload,
  paymentInstructions,
} from '../../../src/domain/sepa/index.js';
import { AppError } from '../../../src/errors.js';

describe('payment instructions for the debtor portal', () => {
  const creditor = { name: 'Relance Démo SAS', iban: 'fr76 3000 6000 0112 3456 7890 189', bic: 'bnpafrpp' };

  it('prints IBAN and reference by groups of four and puts the reference in the structured field', () => {
    const reference = customerCreditorReference('org-1', 'CUST042');
    const out = paymentInstructions({
      creditor,
      reference,
      amount: money(165_050, 'EUR'),
      information: 'Factures F-2024-118, F-2024-119',
    });
    expect(out.ibanPrinted).toBe('FR76 3000 6000 0112 3456 7890 189');
    expect(out.referencePrinted).toBe('RF81 CCUS T042');
    expect(out.bic).toBe('BNPAFRPP');
    expect(out.epcPayload.toString('utf8')).toBe(
      'BCD\n002\n1\nSCT\nBNPAFRPP\nRelance Démo SAS\nFR7630006000011234567890189\nEUR1650.5\n\nRF81CCUST042\n\nFactures F-2024-118, F-2024-119',
    );
    expect(parseEpcPayload(out.epcPayload)).toMatchObject({
      structuredReference: 'RF81CCUST042',
      amount: money(165_050, 'EUR'),
    });
  });

  it('leaves the amount and the BIC out when there are none', () => {
    const out = paymentInstructions({
      creditor: { name: 'ACME', iban: creditor.iban },
      reference: 'RF18 5390 0754 7034',
    });
    expect(out.epcPayload.toString('utf8')).toBe(
      'BCD\n002\n1\nSCT\n\nACME\nFR7630006000011234567890189\n\n\nRF18539007547034',
    );
    expect(out.amount).toBeUndefined();
    expect(out.bic).toBeUndefined();
  });

  it('refuses a reference that is not a valid RF reference', () => {
    expect(() => paymentInstructions({ creditor, reference: 'RF19 5390 0754 7034' })).toThrow(AppError);
    expect(() => paymentInstructions({ creditor, reference: 'F-2024-118' })).toThrow(AppError);
  });
});
