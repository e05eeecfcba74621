import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Principal, ServiceRole } from '../policy/principal.js';
import { CredentialVerifiers } from './credential-verifiers.js';
import { openDatabase } from './database.js';
import { type DeviceChange, changesSince, latestChangeCursor } from './device-changes.js';
import { GroupListSchema, NewDeviceSchema, parseInput, toDeviceRecord } from './device-record.js';
import type { DeviceRecord, DeviceRow, NewDevice } from './device-record.js';
import {
  deviceRow,
  findCredential,
  groupsOf,
  recordChange,
  serviceUsername,
  writeGroups,
} from './device-rows.js';
import type { DeviceChangeKind } from './device-rows.js';
import { claimCode, storeNewCode } from './enrollment-store.js';
import { DeviceExistsError, EnrollmentError, RegistryError, UnknownDeviceError } from './errors.js';
import { migrate } from './migrations.js';
import { type CredentialCheck, PasswordCheck } from './password-check.js';
import { REGISTRY_NAMESPACE, registryMigrations } from './schema.js';
import { hashSecret, newPassword, verifySecretSync } from './secret-hash.js';
import { readSigningPublicKey, storeSigningPublicKey } from './signing-key-setting.js';
import type { SqliteDatabase } from './sqlite.js';

export { serviceUsername } from './device-rows.js';
export type { DeviceChangeKind } from './device-rows.js';
export type { DeviceChange } from './device-changes.js';
export type { CredentialCheck } from './password-check.js';

export interface RegistryOptions {
  /** Clock in epoch ms; tests move it to expire codes. */
  now?: () => number;
  logger?: Logger;
  /** Where successful logins are remembered (default: in memory only); the registry closes it. */
  verifiers?: CredentialVerifiers;
  /** scrypt checks allowed to run at once (default 2), so logins never fill libuv's thread pool. */
  hashConcurrency?: number;
  /** Told how each password check was answered (for metrics). */
  onCheck?: (check: CredentialCheck) => void;
}

export const DEFAULT_ENROLLMENT_TTL_MS = 24 * 60 * 60 * 1000;

/** The device and service credential store, shared (one SQLite file) with the console. */
export class Registry {
  private readonly cache: CredentialVerifiers;
  private readonly passwords: PasswordCheck;
  private readonly now: () => number;
  private readonly log: Logger;

  private constructor(
    readonly db: SqliteDatabase,
    options: RegistryOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.logger ?? pino({ name: 'registry', level: process.env.LOG_LEVEL ?? 'info' });
    this.cache = options.verifiers ?? CredentialVerifiers.inMemory();
    this.passwords = new PasswordCheck(db, this.cache, {
      log: this.log,
      hashConcurrency: options.hashConcurrency ?? 2,
      onCheck: options.onCheck ?? (() => undefined),
    });
  }

  static open(dbPath: string, options: RegistryOptions = {}): Registry {
    const db = openDatabase(dbPath);
    try {
      migrate(db, REGISTRY_NAMESPACE, registryMigrations, (options.now ?? Date.now)());
    } catch (err) {
      db.close();
      options.verifiers?.close();
      throw err;
    }
    return new Registry(db, options);
  }

  close(): void {
    this.db.close();
    this.cache.close();
  }

  createDevice(input: NewDevice): void {
    const d = parseInput(NewDeviceSchema, input, 'device');
    const insert = this.db.transaction(() => {
      if (deviceRow(this.db, d.id)) throw new DeviceExistsError(d.id);
      this.db
        .prepare('INSERT INTO devices (id, role, name, area_id, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(d.id, d.role, d.name ?? null, d.areaId ?? null, this.now());
      writeGroups(this.db, d.id, d.groups ?? []);
    });
    insert.immediate();
    this.log.info({ deviceId: d.id, role: d.role }, 'device created');
  }

  getDevice(id: string): DeviceRecord | undefined {
    const row = deviceRow(this.db, id);
    return row && toDeviceRecord(row, groupsOf(this.db, id));
  }

  listDevices(): DeviceRecord[] {
    const rows = this.db.prepare('SELECT * FROM devices ORDER BY id').all() as DeviceRow[];
    return rows.map((row) => toDeviceRecord(row, groupsOf(this.db, row.id)));
  }

  setGroups(id: string, groups: string[]): void {
    const list = parseInput(GroupListSchema, groups, 'groups');
    this.db.transaction(() => {
      this.requireDevice(id);
      writeGroups(this.db, id, list);
      this.recordChange(id, 'groups');
    })();
  }

  /** Places a device in an area (null: nowhere) and sets its fan-out groups in one step. */
  placeInArea(id: string, areaId: string | null, groups: string[]): void {
    const area = areaId === null ? null : parseInput(GroupListSchema, [areaId], 'areaId')[0];
    const list = parseInput(GroupListSchema, groups, 'groups');
    this.db.transaction(() => {
      this.requireDevice(id);
      this.db.prepare('UPDATE devices SET area_id = ? WHERE id = ?').run(area ?? null, id);
      writeGroups(this.db, id, list);
      this.recordChange(id, 'groups');
    })();
    this.log.info({ deviceId: id, areaId, groups: list }, 'device placed');
  }

  setDisabled(id: string, disabled: boolean): void {
    this.db.transaction(() => {
      this.requireDevice(id);
      this.db.prepare('UPDATE devices SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
      this.recordChange(id, disabled ? 'disabled' : 'enabled');
    })();
    this.cache.forget(id);
    this.log.info({ deviceId: id, disabled }, disabled ? 'device disabled' : 'device enabled');
  }

  deleteDevice(id: string): void {
    this.db.transaction(() => {
      this.requireDevice(id);
      this.db.prepare('DELETE FROM devices WHERE id = ?').run(id);
      this.recordChange(id, 'deleted');
    })();
    this.cache.forget(id);
    this.log.info({ deviceId: id }, 'device deleted');
  }

  rotateSecret(id: string): { password: string } {
    const password = newPassword();
    const hash = hashSecret(password);
    this.db.transaction(() => {
      this.requireDevice(id);
      this.db
        .prepare('UPDATE devices SET secret_hash = ?, rotated_at = ? WHERE id = ?')
        .run(hash, this.now(), id);
      this.recordChange(id, 'rotated');
    })();
    this.cache.forget(id);
    this.log.info({ deviceId: id }, 'device secret rotated');
    return { password };
  }

  /** A new code replaces any unused earlier one for the device. */
  issueEnrollmentCode(
    id: string,
    ttlMs: number = DEFAULT_ENROLLMENT_TTL_MS,
  ): { code: string; expiresAt: number } {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0)
      throw new RegistryError(`enrollment code lifetime must be positive, got ${ttlMs}`);
    this.requireDevice(id);
    const issued = storeNewCode(this.db, id, this.now(), ttlMs);
    this.log.info({ deviceId: id, expiresAt: issued.expiresAt }, 'enrollment code issued');
    return issued;
  }

  /** Single use, even across processes; throws EnrollmentError with the precise reason. */
  redeemEnrollmentCode(id: string, code: string): { password: string } {
    try {
      const password = claimCode(this.db, id, code, this.now());
      this.cache.forget(id);
      this.log.info({ deviceId: id }, 'enrollment code redeemed');
      return { password };
    } catch (err) {
      if (err instanceof EnrollmentError)
        this.log.warn({ deviceId: id, reason: err.reason }, 'enrollment refused');
      throw err;
    }
  }

  /** With a password: make it the service's (no write when it already is). Without: issue a new one. */
  ensureService(role: ServiceRole, password?: string): { username: string; password: string } {
    const username = serviceUsername(role);
    const existing = this.db.prepare('SELECT secret_hash FROM services WHERE role = ?').get(role) as
      | { secret_hash: string }
      | undefined;
    if (password !== undefined && existing && verifySecretSync(password, existing.secret_hash))
      return { username, password };
    if (password !== undefined && password.length < 16)
      throw new RegistryError('a service password must be at least 16 characters');
    const secret = password ?? newPassword();
    this.db
      .prepare(
        `INSERT INTO services (role, username, secret_hash, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (role) DO UPDATE SET secret_hash = excluded.secret_hash, rotated_at = excluded.created_at`,
      )
      .run(role, username, hashSecret(secret), this.now());
    this.cache.forget(username);
    this.log.info({ service: role, username }, existing ? 'service credentials reset' : 'service created');
    return { username, password: secret };
  }

  /**
   * Resolves to null for unknown users, wrong passwords and disabled devices; never throws for bad input.
   * `abandoned` is asked once a scrypt slot is free, so a client that gave up waiting costs nothing more.
   */
  verify(
    username: string,
    password: string,
    options: { abandoned?: () => boolean } = {},
  ): Promise<Principal | null> {
    return this.passwords.verify(username, password, options);
  }

  /** How many password checks the cache answered and how many ran scrypt (for metrics). */
  verificationStats(): { cacheHits: number; hashChecks: number } {
    return this.passwords.counts();
  }

  /** The principal behind an already authenticated username (null when unknown or disabled), for authorization hooks. */
  principalOf(username: string): Principal | null {
    const found = findCredential(this.db, username);
    return found && !found.disabled ? found.principal : null;
  }

  /** Changes after `cursor` (at most 1000 per call); pass the returned cursor back to continue. */
  changesSince(cursor: number): { cursor: number; changes: DeviceChange[] } {
    return changesSince(this.db, cursor);
  }

  /** The newest change's cursor, to start following from "now". */
  changeCursor(): number {
    return latestChangeCursor(this.db);
  }

  signingPublicKey(): string | undefined {
    return readSigningPublicKey(this.db);
  }

  /** Throws RegistryError unless `pem` is an Ed25519 public key. */
  setSigningPublicKey(pem: string): void {
    storeSigningPublicKey(this.db, pem);
    this.log.info('console signing public key stored');
  }

  private requireDevice(id: string): DeviceRow {
    const row = deviceRow(this.db, id);
    if (!row) throw new UnknownDeviceError(id);
    return row;
  }

  private recordChange(deviceId: string, kind: DeviceChangeKind): void {
    recordChange(this.db, deviceId, kind, this.now());
  }
}
