export * from './day-count.js';
export * from './jurisdictions/index.js';
export * from './limitation.js';
export * from './penalties.js';
export * from './rate-table.js';
export * from './rates/index.js';
export * from './semesters.js';
export * from './types.js';
