export * from './aging.js';
export * from './dso.js';
