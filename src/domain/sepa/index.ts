export * from './bic.js';
export * from './creditor-reference.js';
export * from './epc-amount.js';
export * from './epc-parse.js';
export * from './epc-qr.js';
export { epcPayloadProblems } from './epc-rules.js';
export * from './epc-types.js';
export * from './iban.js';
export { groupsOfFour, mod97, mod97CheckDigits } from './mod97.js';
