export * from './amount.js';
export * from './balances.js';
export * from './parse-bank-file.js';
export * from './types.js';
