import { AppError, type ErrorDetail } from '../../errors.js';
import { isValidBic } from './bic.js';
import { creditorReferenceProblem } from './creditor-reference.js';
import { EPC_CHARACTER_SETS, type EpcPayload } from './epc-types.js';
import { ibanProblem } from './iban.js';

const MIN_AMOUNT = 1;
const MAX_AMOUNT = 99_999_999_999;

export function failEpc(message: string, details: ErrorDetail[]): never {
  throw new AppError('VALIDATION', message, details);
}

export const describeProblems = (problems: ErrorDetail[]) =>
  problems.map((p) => `${p.field} ${p.reason}`).join('; ');

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
