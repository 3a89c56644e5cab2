export * from './parse-cfonb.js';
