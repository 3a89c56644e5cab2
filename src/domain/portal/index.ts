export * from './dispute.js';
export * from './payment-plan.js';
export * from './promise.js';
export * from './token.js';
