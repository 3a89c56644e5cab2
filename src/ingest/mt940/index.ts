export * from './parse-mt940.js';
