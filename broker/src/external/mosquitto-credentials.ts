import type { ServiceRole } from '../policy/principal.js';
import { migrate } from '../registry/migrations.js';
import type { Migration } from '../registry/migrations.js';
import type { Registry } from '../registry/registry.js';
import { mosquittoPasswordHash } from './mosquitto-password.js';

export const MOSQUITTO_NAMESPACE = 'mosquitto';

const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'mosquitto password hashes bound to the registry secret',
    sql: `
CREATE TABLE mosquitto_credentials (
  username TEXT PRIMARY KEY,
  registry_hash TEXT NOT NULL,
  mosquitto_hash TEXT NOT NULL,
  issued_at INTEGER NOT NULL
);`,
  },
];

export interface IssuedCredentials {
  username: string;
  password: string;
}

/**
 * Mosquitto's password_file needs its own PBKDF2 hash of the plain password, which the registry (scrypt
 * only) cannot give back; so passwords for a Mosquitto site are issued here, and each Mosquitto hash is
 * stored next to the registry's hash it was issued with. A secret rotated or a device disabled or deleted
 * anywhere else no longer matches, and the user drops out of the password file: it fails closed.
 */
export class MosquittoCredentials {
  private constructor(
    private readonly registry: Registry,
    private readonly now: () => number,
  ) {}

  static open(registry: Registry, now: () => number = Date.now): MosquittoCredentials {
    migrate(registry.db, MOSQUITTO_NAMESPACE, migrations, now());
    return new MosquittoCredentials(registry, now);
  }

  /** A new password for the device (the old one stops working at the next file sync). */
  issueDevice(id: string): IssuedCredentials {
    return this.registry.db
      .transaction(() => {
        const { password } = this.registry.rotateSecret(id);
        this.record(id, password);
        return { username: id, password };
      })
      .immediate();
  }

  /** The service's password: `password` when given (kept if already current), else a new one. */
  issueService(role: ServiceRole, password?: string): IssuedCredentials {
    return this.registry.db
      .transaction(() => {
        const issued = this.registry.ensureService(role, password);
        this.record(issued.username, issued.password);
        return issued;
      })
      .immediate();
  }

  /** Redeems a one-time enrollment code (throws EnrollmentError like the registry) and records the new password. */
  redeemEnrollmentCode(id: string, code: string): { password: string } {
    return this.registry.db
      .transaction(() => {
        const { password } = this.registry.redeemEnrollmentCode(id, code);
        this.record(id, password);
        return { password };
      })
      .immediate();
  }

  /** `username:hash` lines for every enabled user whose registry secret is still the one issued here. */
  passwordFile(): string {
    const rows = this.registry.db
      .prepare(
        `SELECT m.username AS username, m.mosquitto_hash AS hash FROM mosquitto_credentials m
         JOIN (SELECT id AS username, secret_hash FROM devices WHERE disabled = 0 AND secret_hash IS NOT NULL
               UNION ALL SELECT username, secret_hash FROM services) r
           ON r.username = m.username AND r.secret_hash = m.registry_hash
         ORDER BY m.username`,
      )
      .all() as { username: string; hash: string }[];
    return rows.map((r) => `${r.username}:${r.hash}\n`).join('');
  }

  private record(username: string, password: string): void {
    const current = this.registry.db
      .prepare(
        `SELECT secret_hash FROM devices WHERE id = ?
         UNION ALL SELECT secret_hash FROM services WHERE username = ?`,
      )
      .get(username, username) as { secret_hash: string | null } | undefined;
    if (!current?.secret_hash) throw new Error(`no registry secret for ${username} right after issuing it`);
    this.registry.db
      .prepare(
        `INSERT INTO mosquitto_credentials (username, registry_hash, mosquitto_hash, issued_at)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET registry_hash = excluded.registry_hash,
           mosquitto_hash = excluded.mosquitto_hash, issued_at = excluded.issued_at`,
      )
      .run(username, current.secret_hash, mosquittoPasswordHash(password), this.now());
  }
}
