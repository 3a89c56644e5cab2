export * from './dispute.js';
export * from './promise.js';
export * from './token.js';
