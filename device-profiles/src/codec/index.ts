export * from './decode.js';
export * from './encode.js';
export * from './stuck.js';
export * from './word-order.js';
