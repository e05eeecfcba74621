export * from './config/local-config.js';
export * from './config/remote-config.js';
export * from './core/gateway.js';
export * from './core/role.js';
export * from './enroll/enroll.js';
export * from './queue/outbox.js';
export * from './queue/token-bucket.js';
export * from './sensor/index.js';
