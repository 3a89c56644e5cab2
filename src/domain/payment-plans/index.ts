export * from './decide.js';
export * from './progress.js';
