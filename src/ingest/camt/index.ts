export * from './amount.js';
export * from './bank-lines.js';
export * from './parse-camt.js';
export * from './types.js';
