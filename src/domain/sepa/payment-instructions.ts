import { AppError } from '../../errors.js';
import type { Money } from '../money/index.js';
import {
  formatCreditorReference,
  isValidCreditorReference,
  normalizeCreditorReference,
} from './creditor-reference.js';
import { buildEpcPayload } from './epc-qr.js';
import { formatIban, normalizeIban } from './iban.js';

export interface Creditor {
  name: string;
  iban: string;
  bic?: string;
}

export interface PaymentInstructionsInput {
  creditor: Creditor;
  /** The RF reference issued for the customer or the selection of invoices. */
  reference: string;
  /** Absent: the debtor's bank app asks for the amount. */
  amount?: Money;
  /** Shown to the debtor by the bank app, e.g. "Invoices F-2024-118, F-2024-119". */
  information?: string;
}

/** What the portal shows for a bank transfer, and the bytes of its QR code. */
export interface PaymentInstructions {
  beneficiary: string;
  iban: string;
  ibanPrinted: string;
  bic?: string;
  reference: string;
  referencePrinted: string;
  amount?: Money;
  epcPayload: Buffer;
}

/**
 * The transfer details a debtor copies or scans. The reference goes in the structured field
 * (never the free text) so that the bank passes it on as CdtrRefInf and matching finds it.
 * Version 002 lets the BIC be left out, which SEPA no longer requires for euro transfers.
 */
export function paymentInstructions(input: PaymentInstructionsInput): PaymentInstructions {
  const reference = normalizeCreditorReference(input.reference);
  if (!isValidCreditorReference(reference)) {
    throw new AppError('VALIDATION', `"${input.reference}" is not an ISO 11649 creditor reference`, [
      { field: 'reference', value: input.reference, reason: 'must be a valid RF reference' },
    ]);
  }
  const epcPayload = buildEpcPayload({
    version: '002',
    characterSet: 1,
    name: input.creditor.name,
    iban: input.creditor.iban,
    ...(input.creditor.bic ? { bic: input.creditor.bic } : {}),
    ...(input.amount ? { amount: input.amount } : {}),
    structuredReference: reference,
    ...(input.information ? { information: input.information } : {}),
  });
  const iban = normalizeIban(input.creditor.iban);
  const result: PaymentInstructions = {
    beneficiary: input.creditor.name.trim(),
    iban,
    ibanPrinted: formatIban(iban),
    reference,
    referencePrinted: formatCreditorReference(reference),
    epcPayload,
  };
  if (input.creditor.bic) result.bic = input.creditor.bic.trim().toUpperCase();
  if (input.amount) result.amount = input.amount;
  return result;
}
