export * from './allocate.js';
export * from './match.js';
export * from './text.js';
export * from './types.js';
