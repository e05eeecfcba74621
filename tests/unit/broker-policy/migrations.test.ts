import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../broker/src/registry/database.js';
import {
  SchemaError,
  SchemaTooNewError,
  migrate,
  schemaVersion,
} from '../../../broker/src/registry/migrations.js';
import type { Migration } from '../../../broker/src/registry/migrations.js';
import { Registry } from '../../../broker/src/registry/registry.js';
import { REGISTRY_NAMESPACE, registryMigrations } from '../../../broker/src/registry/schema.js';
import { quietLogger, scratchDir } from './scratch.js';

const scratch = scratchDir('migrations');
afterAll(() => scratch.remove());

const consoleMigrations: Migration[] = [
  { version: 1, name: 'operators', sql: 'CREATE TABLE operators (id TEXT PRIMARY KEY, name TEXT NOT NULL)' },
  {
    version: 2,
    name: 'operator roles',
    sql: "ALTER TABLE operators ADD COLUMN role TEXT NOT NULL DEFAULT 'viewer'",
  },
];

function tables(path: string): string[] {
  const db = openDatabase(path);
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
    name: string;
  }[];
  db.close();
  return rows.map((r) => r.name);
}

describe('versioned migrations', () => {
  it('creates the registry schema on a fresh file, in WAL mode with foreign keys on', () => {
    const path = scratch.file('fresh/registry.sqlite');
    Registry.open(path, { logger: quietLogger }).close();
    expect(tables(path)).toEqual(
      expect.arrayContaining([
        'devices',
        'device_groups',
        'services',
        'enrollment_codes',
        'device_changes',
        'settings',
        'schema_migrations',
      ]),
    );
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db, REGISTRY_NAMESPACE)).toBe(registryMigrations.length);
    db.close();
  });

  it('re-running applies nothing and keeps the data', () => {
    const path = scratch.file('rerun.sqlite');
    const first = Registry.open(path, { logger: quietLogger });
    first.createDevice({ id: 'loa-01', role: 'speaker-cluster' });
    first.close();
    const db = openDatabase(path);
    expect(migrate(db, REGISTRY_NAMESPACE, registryMigrations)).toEqual([]);
    db.close();
    const again = Registry.open(path, { logger: quietLogger });
    expect(again.getDevice('loa-01')?.role).toBe('speaker-cluster');
    again.close();
  });

  it('refuses a database written by newer code, naming both versions', () => {
    const path = scratch.file('newer.sqlite');
    const db = openDatabase(path);
    const future: Migration[] = [
      ...registryMigrations,
      { version: 2, name: 'from the future', sql: 'CREATE TABLE later (x)' },
    ];
    migrate(db, REGISTRY_NAMESPACE, future);
    db.close();
    expect(() => Registry.open(path, { logger: quietLogger })).toThrow(SchemaTooNewError);
    expect(() => Registry.open(path, { logger: quietLogger })).toThrow(/version 2 .* only knows up to 1/);
  });

  it('lets a second namespace (the console) keep its own versions in the same file', () => {
    const path = scratch.file('shared.sqlite');
    Registry.open(path, { logger: quietLogger }).close();
    const db = openDatabase(path);
    expect(migrate(db, 'console', consoleMigrations.slice(0, 1))).toEqual([1]);
    expect(migrate(db, 'console', consoleMigrations)).toEqual([2]);
    expect(schemaVersion(db, 'console')).toBe(2);
    expect(schemaVersion(db, REGISTRY_NAMESPACE)).toBe(registryMigrations.length);
    db.prepare('INSERT INTO operators (id, name) VALUES (?, ?)').run('op1', 'Chị Lan');
    db.close();
    const registry = Registry.open(path, { logger: quietLogger });
    registry.createDevice({ id: 'tram-01', role: 'sensor-gateway' });
    registry.close();
    expect(tables(path)).toEqual(expect.arrayContaining(['operators', 'devices']));
  });

  it('rolls back a failing step entirely and records nothing', () => {
    const path = scratch.file('failing.sqlite');
    const db = openDatabase(path);
    const broken: Migration[] = [
      { version: 1, name: 'good', sql: 'CREATE TABLE a (x)' },
      { version: 2, name: 'bad', sql: 'CREATE TABLE b (x); THIS IS NOT SQL' },
    ];
    expect(() => migrate(db, 'broken', broken)).toThrow();
    expect(schemaVersion(db, 'broken')).toBe(0);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('a', 'b')").get()).toEqual({
      n: 0,
    });
    db.close();
  });

  it('rejects badly numbered lists and diverged histories', () => {
    const db = openDatabase(scratch.file('lists.sqlite'));
    expect(() => migrate(db, 'gaps', [{ version: 2, name: 'x', sql: 'SELECT 1' }])).toThrow(SchemaError);
    expect(() => migrate(db, 'Bad Name', [])).toThrow(/namespace/);
    migrate(db, 'hist', [{ version: 1, name: 'one', sql: 'SELECT 1' }]);
    expect(() => migrate(db, 'hist', [{ version: 1, name: 'another', sql: 'SELECT 1' }])).toThrow(/diverged/);
    db.close();
  });
});
