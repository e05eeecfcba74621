import { enrollmentCodeMatches, hashEnrollmentCode, newEnrollmentCode } from './enrollment-code.js';
import { EnrollmentError } from './errors.js';
import { hashSecret, newPassword } from './secret-hash.js';
import type { SqliteDatabase } from './sqlite.js';

interface CodeRow {
  id: number;
  code_hash: string;
  expires_at: number;
  used_at: number | null;
}

/** Stores a fresh code for `deviceId` (hashed), dropping any earlier unused one; the caller checks the device exists. */
export function storeNewCode(
  db: SqliteDatabase,
  deviceId: string,
  now: number,
  ttlMs: number,
): { code: string; expiresAt: number } {
  const code = newEnrollmentCode();
  const expiresAt = now + ttlMs;
  const hash = hashEnrollmentCode(code);
  db.transaction(() => {
    db.prepare('DELETE FROM enrollment_codes WHERE device_id = ? AND used_at IS NULL').run(deviceId);
    db.prepare(
      'INSERT INTO enrollment_codes (device_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?)',
    ).run(deviceId, hash, now, expiresAt);
  })();
  return { code, expiresAt };
}

/**
 * Checks the device's latest code and, if it holds, claims it and installs a new password in one
 * IMMEDIATE transaction; the conditional UPDATE makes a second, concurrent claim fail even from
 * another process. The code is compared before any other verdict, so only its holder learns
 * whether it expired, was used or the device is disabled.
 */
export function claimCode(db: SqliteDatabase, deviceId: string, code: string, now: number): string {
  const device = db.prepare('SELECT disabled FROM devices WHERE id = ?').get(deviceId) as
    | { disabled: 0 | 1 }
    | undefined;
  const row = device
    ? (db
        .prepare(
          'SELECT id, code_hash, expires_at, used_at FROM enrollment_codes WHERE device_id = ? ORDER BY id DESC LIMIT 1',
        )
        .get(deviceId) as CodeRow | undefined)
    : undefined;
  const matches = row !== undefined && enrollmentCodeMatches(code, row.code_hash);
  if (!device) throw new EnrollmentError('unknown-device');
  if (!row) throw new EnrollmentError('no-code');
  if (!matches) throw new EnrollmentError('wrong-code');
  if (row.used_at !== null) throw new EnrollmentError('already-used');
  if (row.expires_at <= now) throw new EnrollmentError('expired');
  if (device.disabled === 1) throw new EnrollmentError('device-disabled');
  const password = newPassword();
  const hash = hashSecret(password);
  const claim = db.transaction(() => {
    const claimed = db
      .prepare('UPDATE enrollment_codes SET used_at = ? WHERE id = ? AND used_at IS NULL')
      .run(now, row.id);
    if (claimed.changes !== 1) throw new EnrollmentError('already-used');
    const updated = db
      .prepare(
        'UPDATE devices SET secret_hash = ?, enrolled_at = ?, rotated_at = ? WHERE id = ? AND disabled = 0',
      )
      .run(hash, now, now, deviceId);
    if (updated.changes !== 1) throw new EnrollmentError('device-disabled');
    db.prepare('INSERT INTO device_changes (device_id, kind, at) VALUES (?, ?, ?)').run(
      deviceId,
      'rotated',
      now,
    );
  });
  claim.immediate();
  return password;
}
