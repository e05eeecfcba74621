export * from './channels.js';
export * from './load.js';
export * from './register.js';
export * from './schema.js';
