export * from './lettrage.js';
