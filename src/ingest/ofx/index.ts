export * from './parse-ofx.js';
