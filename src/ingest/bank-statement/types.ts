import type { IsoDate } from '../../domain/calendar/index.js';
import type { BankLine } from '../../domain/matching/index.js';

export type BankFileFormat = 'camt.052' | 'camt.053' | 'camt.054' | 'cfonb120' | 'mt940' | 'ofx' | 'csv';

/** A balance as the bank states it: signed minor units (negative = overdrawn). */
export interface StatedBalance {
  amountMinor: number;
  date?: IsoDate;
}

/** One statement (one account, one period) of any format, reduced to what matching needs. */
export interface ParsedStatement {
  id: string;
  account?: string;
  currency: string;
  opening?: StatedBalance;
  closing?: StatedBalance;
  lines: BankLine[];
}

export interface ParsedBankFile {
  format: BankFileFormat;
  messageId: string;
  statements: ParsedStatement[];
}
