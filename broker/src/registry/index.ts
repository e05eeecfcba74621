export { openDatabase } from './database.js';
export type { DeviceRecord, NewDevice } from './device-record.js';
export { DeviceExistsError, EnrollmentError, RegistryError, UnknownDeviceError } from './errors.js';
export type { EnrollmentFailure } from './errors.js';
export { migrate, schemaVersion, SchemaError, SchemaTooNewError } from './migrations.js';
export type { Migration } from './migrations.js';
export { DEFAULT_ENROLLMENT_TTL_MS, Registry, serviceUsername } from './registry.js';
export type { DeviceChange, DeviceChangeKind, RegistryOptions } from './registry.js';
export type { SqliteDatabase, Statement } from './sqlite.js';
