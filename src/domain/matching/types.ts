import type { IsoDate } from '../calendar/index.js';
import type { Money } from '../money/index.js';

/** One incoming (or outgoing) movement on the creditor's bank account. */
export interface BankLine {
  /** Stable id, e.g. statement id + entry + transaction index, to de-duplicate imports. */
  id: string;
  /** Never negative: the direction is `creditDebit`. */
  amount: Money;
  creditDebit: 'CRDT' | 'DBIT';
  reversal?: boolean;
  bookingDate?: IsoDate;
  debtorName?: string;
  debtorIban?: string;
  /** Structured remittance (CdtrRefInf/Ref), ideally an ISO 11649 RF reference. */
  structuredReference?: string;
  /** Unstructured remittance and any other free text the bank passed on. */
  remittanceText?: string;
  endToEndId?: string;
}

export interface OpenInvoice {
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  /** What is still owed; only positive balances can receive money. */
  balanceDue: Money;
  dueDate: IsoDate;
}

export interface CustomerIdentity {
  customerId: string;
  name: string;
  /** IBANs the customer has paid from before or declared (electronic form or printed). */
  ibans?: string[];
}

/** An RF reference the organisation handed out: for a whole customer, or a selection of invoices. */
export interface KnownReference {
  reference: string;
  customerId: string;
  /** Absent: the reference stands for whatever the customer owes. */
  invoiceIds?: string[];
}

export interface MatchingContext {
  invoices: OpenInvoice[];
  customers: CustomerIdentity[];
  references?: KnownReference[];
}

export interface MatchOptions {
  /** Confidence (0-100) from which a match is applied without a person; default 90. */
  autoThreshold?: number;
  /** Largest number of invoices tried together when only the amount links them; default 4. */
  maxInvoicesPerTransfer?: number;
  /**
   * Short payments the organisation accepts as settling the invoice (bank fees, rounding):
   * up to `maxMinor` less than what is due; the difference is booked to `reason`. Default 0.
   */
  shortPaymentTolerance?: { maxMinor: number; reason: string };
}

export type MatchReasonCode =
  | 'creditor-reference'
  | 'unknown-reference'
  | 'invoice-number'
  | 'invoice-number-loose'
  | 'invoice-number-typo'
  | 'short-payment'
  | 'customer-credit'
  | 'short-invoice-number'
  | 'amount-exact'
  | 'amount-sum'
  | 'amount-total-balance'
  | 'amount-only'
  | 'customer-iban'
  | 'customer-name'
  | 'customer-mismatch'
  | 'partial-payment'
  | 'overpayment'
  | 'ambiguous'
  | 'currency-mismatch'
  | 'debit'
  | 'reversal'
  | 'no-candidate';

export interface MatchReason {
  code: MatchReasonCode;
  detail: string;
}

export interface Allocation {
  invoiceId: string;
  invoiceNumber: string;
  amount: Money;
}

export interface MatchProposal {
  customerId?: string;
  allocations: Allocation[];
  /** Money left once every allocated invoice is settled (an overpayment): customer credit. */
  unallocated: Money;
  /** Short payment within the organisation's tolerance: what is written off, and why. */
  writeOffs?: Allocation[];
  writeOffReason?: string;
  /** 0-100. */
  confidence: number;
  reasons: MatchReason[];
}

export interface MatchResult {
  bankLineId: string;
  /** auto: apply now; suggested: a person confirms; unmatched: nothing found; ignored: not a payment to match. */
  status: 'auto' | 'suggested' | 'unmatched' | 'ignored';
  proposal?: MatchProposal;
  /** Other plausible proposals, best first (ambiguous cases). */
  alternatives: MatchProposal[];
  reasons: MatchReason[];
}
