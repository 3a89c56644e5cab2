import type { IsoDate } from '../../domain/calendar/index.js';
import type { Money } from '../../domain/money/index.js';

export type CreditDebit = 'CRDT' | 'DBIT';

/** A camt.053 statement or a camt.054 notification, already reduced to what we use. */
export interface CamtDocument {
  /** "camt.053" (end-of-day statement) or "camt.054" (debit/credit notification). */
  messageType: 'camt.052' | 'camt.053' | 'camt.054';
  /** Schema version, "001.02" or "001.08". */
  version: string;
  messageId: string;
  createdAt?: string;
  statements: CamtStatement[];
}

export interface CamtAccount {
  iban?: string;
  /** Non-IBAN identification (Othr/Id), as some banks send it. */
  otherId?: string;
  currency?: string;
  ownerName?: string;
}

export interface CamtBalance {
  /** ISO 20022 balance type: OPBD, CLBD, OPAV, CLAV, ITBD… */
  type: string;
  amount: Money;
  creditDebit: CreditDebit;
  date?: IsoDate;
}

export interface CamtStructuredReference {
  reference: string;
  /** SCOR (ISO 11649 or other creditor reference) or a proprietary label. */
  type?: string;
  issuer?: string;
}

export interface CamtTransaction {
  /** Absent when the bank gives only the entry amount (one transaction per entry). */
  amount?: Money;
  creditDebit?: CreditDebit;
  endToEndId?: string;
  instructionId?: string;
  accountServicerReference?: string;
  debtorName?: string;
  debtorIban?: string;
  ultimateDebtorName?: string;
  creditorName?: string;
  creditorIban?: string;
  remittanceUnstructured: string[];
  structuredReferences: CamtStructuredReference[];
  additionalRemittance: string[];
  /** The first ISO 11649 reference found in the structured remittance, electronic form. */
  creditorReference?: string;
}

export interface CamtEntry {
  /** 1-based position in its statement, to name it in errors and to de-duplicate imports. */
  index: number;
  amount: Money;
  creditDebit: CreditDebit;
  reversal: boolean;
  status?: string;
  bookingDate?: IsoDate;
  valueDate?: IsoDate;
  entryReference?: string;
  accountServicerReference?: string;
  bankTransactionCode?: string;
  additionalInfo?: string;
  transactions: CamtTransaction[];
}

export interface CamtStatement {
  id: string;
  createdAt?: string;
  electronicSequenceNumber?: string;
  account: CamtAccount;
  balances: CamtBalance[];
  entries: CamtEntry[];
}
