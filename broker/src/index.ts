export { startBroker } from './server/broker.js';
export type { RunningBroker } from './server/broker.js';
export type { BrokerConfig, BrokerConfigInput } from './config/schema.js';
export { BrokerConfigSchema } from './config/schema.js';
export { ConfigError, loadConfig } from './config/load.js';
export { Registry } from './registry/registry.js';
export { migrate, openDatabase } from './registry/index.js';
export type { DeviceRecord, Migration, NewDevice, SqliteDatabase } from './registry/index.js';
export { ensureSigningKey, SIGNING_KEY_FILE } from './cli/signing-key.js';
export {
  DeviceExistsError,
  EnrollmentError,
  RegistryError,
  UnknownDeviceError,
  serviceUsername,
} from './registry/index.js';
