/**
 * EPC069-12 "Quick Response Code: guidelines to enable data capture for the initiation of a
 * SEPA credit transfer" (version 3.0): the "BCD" payload that banking apps scan. One element
 * per line, in this order; trailing empty elements are dropped.
 */

import type { Money } from '../money/index.js';

/** Character sets of EPC069-12 (element "character set"), by code. */
export const EPC_CHARACTER_SETS = {
  1: 'UTF-8',
  2: 'ISO-8859-1',
  3: 'ISO-8859-2',
  4: 'ISO-8859-4',
  5: 'ISO-8859-5',
  6: 'ISO-8859-7',
  7: 'ISO-8859-10',
  8: 'ISO-8859-15',
} as const;

export type EpcCharacterSet = keyof typeof EPC_CHARACTER_SETS;
export type EpcVersion = '001' | '002';

/** The fields of a payload, as the debtor's bank app will read them. */
export interface EpcPayload {
  serviceTag: string;
  version: string;
  characterSet: number;
  identification: string;
  /** BIC of the beneficiary's bank: mandatory in version 001, optional in 002. */
  bic?: string;
  /** Beneficiary name, at most 70 characters. */
  name: string;
  iban: string;
  /** EUR only, 0.01 to 999 999 999.99. Absent lets the debtor type the amount. */
  amount?: Money;
  /** ISO 20022 purpose code (ExternalPurpose1Code), 4 characters. */
  purpose?: string;
  /** Creditor reference (ISO 11649 RF…), at most 35 characters. */
  structuredReference?: string;
  /** Free text, at most 140 characters; never together with a structured reference. */
  unstructuredRemittance?: string;
  /** Beneficiary to originator information, at most 70 characters, shown to the debtor. */
  information?: string;
}

export interface EpcPayloadInput {
  version?: EpcVersion;
  /** A code 1-8 or its name ("UTF-8", "ISO-8859-1", …). Default UTF-8. */
  characterSet?: number | string;
  bic?: string;
  name: string;
  iban: string;
  amount?: Money;
  purpose?: string;
  structuredReference?: string;
  unstructuredRemittance?: string;
  information?: string;
}

export interface EpcSerializeOptions {
  /** EPC069-12 allows CR LF or LF between elements; LF is what most generators emit. */
  lineSeparator?: '\n' | '\r\n';
}

export const EPC_MAX_PAYLOAD_BYTES = 331;
