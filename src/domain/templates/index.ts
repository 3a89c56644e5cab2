export * from './catalogue.js';
export * from './message-template-view.js';
export * from './overrides.js';
export * from './render.js';
export * from './sms.js';
export * from './variables.js';
