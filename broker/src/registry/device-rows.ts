import type { Principal, ServiceRole } from '../policy/principal.js';
import type { DeviceRow } from './device-record.js';
import type { SqliteDatabase } from './sqlite.js';

export type DeviceChangeKind = 'disabled' | 'enabled' | 'rotated' | 'groups' | 'deleted';

/** Service usernames start with "_", which no device id may, so they can never collide. */
export const serviceUsername = (role: ServiceRole): string => `_${role}`;

export function deviceRow(db: SqliteDatabase, id: string): DeviceRow | undefined {
  return db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
}

export function groupsOf(db: SqliteDatabase, id: string): string[] {
  const rows = db
    .prepare('SELECT group_id FROM device_groups WHERE device_id = ? ORDER BY group_id')
    .all(id) as {
    group_id: string;
  }[];
  return rows.map((r) => r.group_id);
}

export function writeGroups(db: SqliteDatabase, id: string, groups: readonly string[]): void {
  db.prepare('DELETE FROM device_groups WHERE device_id = ?').run(id);
  const insert = db.prepare('INSERT OR IGNORE INTO device_groups (device_id, group_id) VALUES (?, ?)');
  for (const g of groups) insert.run(id, g);
}

export function recordChange(db: SqliteDatabase, deviceId: string, kind: DeviceChangeKind, at: number): void {
  db.prepare('INSERT INTO device_changes (device_id, kind, at) VALUES (?, ?, ?)').run(deviceId, kind, at);
}

export interface Credential {
  principal: Principal;
  secretHash: string;
  disabled: boolean;
}

/** The stored secret and principal behind a username; null when unknown or never given a secret. */
export function findCredential(db: SqliteDatabase, username: string): Credential | null {
  if (username.startsWith('_')) {
    const svc = db.prepare('SELECT role, secret_hash FROM services WHERE username = ?').get(username) as
      | { role: ServiceRole; secret_hash: string }
      | undefined;
    if (!svc) return null;
    return {
      principal: { kind: 'service', id: username, role: svc.role },
      secretHash: svc.secret_hash,
      disabled: false,
    };
  }
  const row = deviceRow(db, username);
  if (!row || row.secret_hash === null) return null;
  return {
    principal: { kind: 'device', id: row.id, role: row.role, groups: groupsOf(db, row.id) },
    secretHash: row.secret_hash,
    disabled: row.disabled === 1,
  };
}
