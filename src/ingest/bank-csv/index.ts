export * from './parse-bank-csv.js';
