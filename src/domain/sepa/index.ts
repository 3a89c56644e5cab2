export * from './bic.js';
export * from './creditor-reference.js';
export * from './epc-qr.js';
export * from './iban.js';
export { groupsOfFour, mod97, mod97CheckDigits } from './mod97.js';
