import type { Migration } from './migrations.js';

/** The registry's namespace in `schema_migrations`; the console adds its own beside it. */
export const REGISTRY_NAMESPACE = 'registry';

export const registryMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'devices, services, enrollment codes, change feed, settings',
    sql: `
CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role IN ('sensor-gateway', 'speaker-cluster')),
  name TEXT,
  area_id TEXT,
  secret_hash TEXT,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  enrolled_at INTEGER,
  rotated_at INTEGER
);
CREATE TABLE device_groups (
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  group_id TEXT NOT NULL,
  PRIMARY KEY (device_id, group_id)
);
CREATE INDEX device_groups_by_group ON device_groups(group_id);
CREATE TABLE services (
  role TEXT PRIMARY KEY CHECK (role IN ('collector', 'console')),
  username TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  rotated_at INTEGER
);
CREATE TABLE enrollment_codes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX enrollment_codes_by_device ON enrollment_codes(device_id, id);
CREATE TABLE device_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  device_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('disabled', 'enabled', 'rotated', 'groups', 'deleted')),
  at INTEGER NOT NULL
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);`,
  },
];
