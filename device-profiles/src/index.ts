export * from './codec/index.js';
export * from './contract/index.js';
export * from './profile/index.js';
