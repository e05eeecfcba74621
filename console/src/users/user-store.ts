import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '@xaso/broker';
import { z } from 'zod';
import type { SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { DEFAULT_HASH_COST, hashPassword, randomPassword, verifyPassword } from '../auth/password-hash.js';
import { RoleSchema } from './user-schemas.js';
import type { NewUser, UserPatch, UserView } from './user-schemas.js';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  area_ids: string;
  disabled: 0 | 1;
  must_change_password: 0 | 1;
  created_at: number;
  updated_at: number;
}

const RolesColumn = z.array(RoleSchema);
const AreasColumn = z.array(z.string());

function toView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: RolesColumn.parse(JSON.parse(row.roles)),
    areaIds: AreasColumn.parse(JSON.parse(row.area_ids)),
    disabled: row.disabled === 1,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toSessionUser(user: UserView): SessionUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    areaIds: user.areaIds,
  };
}

/** Console users in the shared SQLite file; passwords are scrypt hashes, never stored or logged in clear. */
export class UserStore {
  /** A hash of a random password, checked for unknown users so timing does not reveal who exists. */
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly hashCost = DEFAULT_HASH_COST,
    private readonly now: () => number = Date.now,
  ) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM console_users').get() as { n: number }).n;
  }

  list(): UserView[] {
    return (this.db.prepare('SELECT * FROM console_users ORDER BY username').all() as UserRow[]).map(toView);
  }

  get(id: string): UserView | undefined {
    const row = this.db.prepare('SELECT * FROM console_users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toView(row);
  }

  byUsername(username: string): UserView | undefined {
    const row = this.db.prepare('SELECT * FROM console_users WHERE username = ?').get(username) as
      | UserRow
      | undefined;
    return row && toView(row);
  }

  /** Without a password a one-time one is generated, returned once and must be changed at first login. */
  async create(input: NewUser): Promise<{ user: UserView; oneTimePassword?: string }> {
    if (this.byUsername(input.username))
      throw new HttpError(409, 'exists', `user ${input.username} already exists`, 'username');
    const oneTime = input.password === undefined ? randomPassword() : undefined;
    const hash = await hashPassword(input.password ?? oneTime ?? '', this.hashCost);
    const id = randomUUID();
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO console_users (id, username, display_name, password_hash, roles, area_ids, disabled,
           must_change_password, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
      )
      .run(
        id,
        input.username,
        input.displayName,
        hash,
        JSON.stringify(input.roles),
        JSON.stringify(input.areaIds),
        oneTime ? 1 : 0,
        now,
        now,
      );
    const user = this.get(id);
    if (!user) throw new Error(`user ${id} vanished after insert`);
    return oneTime ? { user, oneTimePassword: oneTime } : { user };
  }

  update(id: string, patch: UserPatch): UserView {
    const user = this.require(id);
    const next = { ...user, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    this.db
      .prepare(
        'UPDATE console_users SET display_name = ?, roles = ?, area_ids = ?, disabled = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        next.displayName,
        JSON.stringify(next.roles),
        JSON.stringify(next.areaIds),
        next.disabled ? 1 : 0,
        this.now(),
        id,
      );
    return this.require(id);
  }

  async setPassword(id: string, password: string, mustChange: boolean): Promise<void> {
    this.require(id);
    const hash = await hashPassword(password, this.hashCost);
    this.db
      .prepare(
        'UPDATE console_users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?',
      )
      .run(hash, mustChange ? 1 : 0, this.now(), id);
  }

  /** The user when the password matches and the account is enabled; equal work for unknown names. */
  async checkPassword(username: string, password: string): Promise<UserView | undefined> {
    const row = this.db.prepare('SELECT * FROM console_users WHERE username = ?').get(username) as
      | UserRow
      | undefined;
    this.decoy ??= hashPassword(randomPassword(), this.hashCost);
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.decoy));
    if (!row || !ok || row.disabled === 1) return undefined;
    return toView(row);
  }

  require(id: string): UserView {
    const user = this.get(id);
    if (!user) throw new HttpError(404, 'not-found', `no user ${id}`, 'id');
    return user;
  }
}
