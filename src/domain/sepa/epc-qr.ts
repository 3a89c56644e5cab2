import iconv from 'iconv-lite';
import { AppError, type ErrorDetail } from '../../errors.js';
import { type Money, money } from '../money/index.js';
import { isValidBic, normalizeBic } from './bic.js';
import { creditorReferenceProblem, normalizeCreditorReference } from './creditor-reference.js';
import { ibanProblem, normalizeIban } from './iban.js';

/**
 * EPC069-12 "Quick Response Code: guidelines to enable data capture for the initiation of a
 * SEPA credit transfer" (version 3.0): the "BCD" payload that banking apps scan. One element
 * per line, in this order; trailing empty elements are dropped.
 */

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
const MIN_AMOUNT = 1;
const MAX_AMOUNT = 99_999_999_999;

function fail(message: string, details: ErrorDetail[]): never {
  throw new AppError('VALIDATION', message, details);
}

function resolveCharacterSet(value: number | string | undefined): number | null {
  if (value === undefined) return 1;
  if (typeof value === 'number') return value in EPC_CHARACTER_SETS ? value : null;
  const trimmed = value.trim();
  if (/^[1-8]$/.test(trimmed)) return Number(trimmed);
  const name = trimmed
    .toUpperCase()
    .replace(/^ISO8859/, 'ISO-8859')
    .replace(/^UTF8$/, 'UTF-8');
  for (const [code, charset] of Object.entries(EPC_CHARACTER_SETS)) {
    if (charset === name || charset.replace('ISO-', 'ISO_') === name) return Number(code);
  }
  return null;
}

/** "EUR12.3": EPC069-12 wants "EUR" then the amount with at most 2 decimals, no padding needed. */
export function formatEpcAmount(amount: Money): string {
  // String arithmetic on the minor units: the amount never passes through a float.
  const digits = String(amount.amount).padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/^0+(?=.)/, '');
  const cents = digits.slice(-2).replace(/0+$/, '');
  return `${amount.currency}${whole}${cents ? `.${cents}` : ''}`;
}

/**
 * A decimal written by a person or a file ("12.30", "0.004") to EUR minor units, exactly.
 * Refuses what the payload could not carry instead of rounding it.
 */
export function epcAmountFromDecimal(decimal: string, currency = 'EUR'): Money {
  const match = /^([0-9]{1,12})(?:\.([0-9]+))?$/.exec(decimal.trim());
  const fraction = match?.[2] ?? '';
  if (!match || fraction.replace(/0+$/, '').length > 2) {
    fail(`Amount "${decimal}" is not a decimal with at most 2 decimals`, [
      { field: 'amount', value: decimal, reason: 'must be a decimal number with at most 2 decimals' },
    ]);
  }
  const cents = BigInt(match[1] ?? '0') * 100n + BigInt(fraction.slice(0, 2).padEnd(2, '0'));
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) {
    fail(`Amount "${decimal}" is too large`, [{ field: 'amount', value: decimal, reason: 'too large' }]);
  }
  return money(Number(cents), currency);
}

/** "EUR12.3" → 1230 EUR cents. */
export function parseEpcAmount(text: string): Money {
  const match = /^([A-Z]{3})([0-9]+(?:\.[0-9]{1,2})?)$/.exec(text);
  if (!match?.[1] || !match[2]) {
    fail(`Amount "${text}" is not of the form EUR12.34`, [
      { field: 'amount', value: text, reason: 'must be a currency code followed by a decimal amount' },
    ]);
  }
  return epcAmountFromDecimal(match[2], match[1]);
}

/** Every data-element rule of EPC069-12 that the fields break, each naming its field. */
export function epcPayloadProblems(payload: EpcPayload): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const add = (field: string, value: string | undefined, reason: string) =>
    problems.push(value === undefined ? { field, reason } : { field, value, reason });

  if (payload.serviceTag !== 'BCD') add('serviceTag', payload.serviceTag, 'must be BCD');
  if (payload.version !== '001' && payload.version !== '002') {
    add('version', payload.version, 'must be 001 or 002');
  }
  if (!(payload.characterSet in EPC_CHARACTER_SETS)) {
    add('characterSet', String(payload.characterSet), 'must be 1 to 8');
  }
  if (payload.identification !== 'SCT') add('identification', payload.identification, 'must be SCT');

  if (payload.bic) {
    if (!isValidBic(payload.bic)) add('bic', payload.bic, 'must be 8 or 11 characters (ISO 9362)');
  } else if (payload.version === '001') {
    add('bic', undefined, 'is mandatory in version 001');
  }

  if (!payload.name) add('name', undefined, 'is required');
  else if ([...payload.name].length > 70) add('name', payload.name, 'at most 70 characters');

  if (!payload.iban) add('iban', undefined, 'is required');
  else if (payload.iban.length > 34) add('iban', payload.iban, 'at most 34 characters');
  else {
    const problem = ibanProblem(payload.iban);
    if (problem) add('iban', payload.iban, `not a valid IBAN (${problem})`);
  }

  if (payload.amount) {
    const { amount, currency } = payload.amount;
    if (currency !== 'EUR') add('currency', currency, 'SEPA credit transfers are in EUR');
    if (!Number.isSafeInteger(amount) || amount < MIN_AMOUNT || amount > MAX_AMOUNT) {
      add('amount', String(amount), 'must be 0.01 to 999999999.99');
    }
  }

  if (payload.purpose !== undefined && !/^[A-Z0-9]{4}$/.test(payload.purpose)) {
    add('purpose', payload.purpose, 'must be a 4-character ISO 20022 purpose code');
  }

  const { structuredReference: ref, unstructuredRemittance: text } = payload;
  if (ref && text) {
    add('remittance', undefined, 'structured reference and unstructured text are mutually exclusive');
  }
  if (ref) {
    if (ref.length > 35) add('structuredReference', ref, 'at most 35 characters');
    else if (/^RF/i.test(ref) && creditorReferenceProblem(ref)) {
      add('structuredReference', ref, 'not a valid ISO 11649 creditor reference');
    }
  }
  if (text && [...text].length > 140) add('unstructuredRemittance', text, 'at most 140 characters');
  if (payload.information && [...payload.information].length > 70) {
    add('information', payload.information, 'at most 70 characters');
  }
  for (const [field, value] of Object.entries(payload)) {
    if (typeof value === 'string' && /[\r\n]/.test(value)) add(field, value, 'must not contain a line break');
  }
  return problems;
}

function lines(payload: EpcPayload): string[] {
  const out = [
    payload.serviceTag,
    payload.version,
    String(payload.characterSet),
    payload.identification,
    payload.bic ?? '',
    payload.name,
    payload.iban,
    payload.amount ? formatEpcAmount(payload.amount) : '',
    payload.purpose ?? '',
    payload.structuredReference ?? '',
    payload.unstructuredRemittance ?? '',
    payload.information ?? '',
  ];
  // EPC069-12: the last populated element is not followed by a separator.
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function encode(text: string, characterSet: number): Buffer {
  const charset = EPC_CHARACTER_SETS[characterSet as EpcCharacterSet] ?? 'UTF-8';
  return iconv.encode(text, charset);
}

/**
 * Lay out the payload without judging its content: the same bytes any EPC encoder writes
 * for these fields. Use `buildEpcPayload` for anything a debtor will scan.
 */
export function serializeEpcPayload(payload: EpcPayload, options: EpcSerializeOptions = {}): Buffer {
  return encode(lines(payload).join(options.lineSeparator ?? '\n'), payload.characterSet);
}

/** Validated payload bytes, ready for a QR code (byte mode, error correction level M). */
export function buildEpcPayload(input: EpcPayloadInput, options: EpcSerializeOptions = {}): Buffer {
  const characterSet = resolveCharacterSet(input.characterSet);
  if (characterSet === null) {
    fail(`Character set "${input.characterSet}" is not one EPC069-12 allows`, [
      {
        field: 'characterSet',
        value: String(input.characterSet),
        reason: 'must be 1 to 8 (UTF-8, ISO-8859-x)',
      },
    ]);
  }
  const payload = cleanPayload({
    serviceTag: 'BCD',
    version: input.version ?? '002',
    characterSet,
    identification: 'SCT',
    bic: input.bic,
    name: input.name,
    iban: input.iban,
    amount: input.amount,
    purpose: input.purpose,
    structuredReference: input.structuredReference,
    unstructuredRemittance: input.unstructuredRemittance,
    information: input.information,
  });
  const problems = epcPayloadProblems(payload);
  if (problems.length > 0) fail(`EPC QR payload refused: ${describe(problems)}`, problems);
  const bytes = serializeEpcPayload(payload, options);
  const roundTrip = iconv.decode(bytes, EPC_CHARACTER_SETS[characterSet as EpcCharacterSet]);
  if (roundTrip !== lines(payload).join(options.lineSeparator ?? '\n')) {
    fail('Some characters cannot be written in the chosen character set', [
      { field: 'characterSet', value: String(characterSet), reason: 'cannot represent every character' },
    ]);
  }
  if (bytes.length > EPC_MAX_PAYLOAD_BYTES) {
    fail(`EPC QR payload is ${bytes.length} bytes, more than ${EPC_MAX_PAYLOAD_BYTES}`, [
      { field: 'payload', value: String(bytes.length), reason: `at most ${EPC_MAX_PAYLOAD_BYTES} bytes` },
    ]);
  }
  return bytes;
}

/** Trim, normalise IBAN/BIC/reference to their electronic forms, drop empty optionals. */
function cleanPayload(
  raw: Omit<EpcPayload, 'bic' | 'purpose'> & { bic?: string; purpose?: string },
): EpcPayload {
  const opt = (v: string | undefined) => {
    const t = v?.trim();
    return t ? t : undefined;
  };
  const payload: EpcPayload = {
    serviceTag: raw.serviceTag,
    version: raw.version,
    characterSet: raw.characterSet,
    identification: raw.identification,
    name: raw.name.trim(),
    iban: normalizeIban(raw.iban),
  };
  const bic = opt(raw.bic);
  if (bic) payload.bic = normalizeBic(bic);
  if (raw.amount) payload.amount = raw.amount;
  const purpose = opt(raw.purpose);
  if (purpose) payload.purpose = purpose;
  const ref = opt(raw.structuredReference);
  if (ref) payload.structuredReference = /^RF/i.test(ref) ? normalizeCreditorReference(ref) : ref;
  const text = opt(raw.unstructuredRemittance);
  if (text) payload.unstructuredRemittance = text;
  const info = opt(raw.information);
  if (info) payload.information = info;
  return payload;
}

const describe = (problems: ErrorDetail[]) => problems.map((p) => `${p.field} ${p.reason}`).join('; ');

export interface EpcParseOptions {
  /** false reads the layout only (for test vectors whose content is not a real payment). */
  validate?: boolean;
}

/** Read a scanned payload back into its fields (CR LF or LF separators). */
export function parseEpcPayload(data: Uint8Array | string, options: EpcParseOptions = {}): EpcPayload {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (bytes.length > EPC_MAX_PAYLOAD_BYTES) {
    fail(`EPC QR payload is ${bytes.length} bytes, more than ${EPC_MAX_PAYLOAD_BYTES}`, [
      { field: 'payload', value: String(bytes.length), reason: `at most ${EPC_MAX_PAYLOAD_BYTES} bytes` },
    ]);
  }
  // The header lines are ASCII in every allowed character set, so the set can be read first.
  const header = bytes.toString('latin1').split(/\r?\n/);
  const characterSet = Number(header[2] ?? '');
  const charset = EPC_CHARACTER_SETS[characterSet as EpcCharacterSet];
  if (!charset) {
    fail(`Character set "${header[2] ?? ''}" is not one EPC069-12 allows`, [
      { field: 'characterSet', value: header[2] ?? '', reason: 'must be 1 to 8' },
    ]);
  }
  const text = typeof data === 'string' ? data : iconv.decode(bytes, charset);
  // Some generators end the last element with a separator; EPC069-12 says not to, but it is harmless.
  const parts = text.replace(/\r?\n$/, '').split(/\r?\n/);
  if (parts.length < 7 || parts.length > 12) {
    fail(`EPC QR payload has ${parts.length} lines, expected 7 to 12`, [
      { field: 'payload', value: String(parts.length), reason: 'must have 7 to 12 lines' },
    ]);
  }
  const at = (i: number) => parts[i] ?? '';
  const payload: EpcPayload = {
    serviceTag: at(0),
    version: at(1),
    characterSet,
    identification: at(3),
    name: at(5),
    iban: at(6),
  };
  if (at(4)) payload.bic = at(4);
  if (at(7)) payload.amount = parseEpcAmount(at(7));
  if (at(8)) payload.purpose = at(8);
  if (at(9)) payload.structuredReference = at(9);
  if (at(10)) payload.unstructuredRemittance = at(10);
  if (at(11)) payload.information = at(11);
  if (options.validate !== false) {
    const problems = epcPayloadProblems(payload);
    if (problems.length > 0) fail(`EPC QR payload refused: ${describe(problems)}`, problems);
  }
  return payload;
}
