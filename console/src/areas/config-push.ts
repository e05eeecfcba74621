import type { SqliteDatabase } from '@xaso/broker';
import { DeviceConfigSchema, topics } from '@xaso/device-profiles/contract';
import type { Signer, Uplink } from '../app/env.js';

/** Retained, so a gateway reconnecting weeks later must still accept it. */
export const CONFIG_TTL_MS = 30 * 86_400_000;

/**
 * The console's part of a DeviceConfig: it leaves `devices` out because it does not know the gateway's
 * local instruments, and a push that only moves groups must not drop them (see .tmp/h3-to-h1.md).
 */
const GroupsConfigSchema = DeviceConfigSchema.omit({ devices: true });

/** Pushes signed config changes to gateways; versions only ever grow, even across a reset console DB. */
export class ConfigPush {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly signer: Signer,
    private readonly uplink: Uplink,
    private readonly now: () => number = Date.now,
  ) {}

  async pushGroups(deviceId: string, groups: string[], issuer: string): Promise<number> {
    const version = this.nextVersion(deviceId);
    const signed = this.signer.sign({ v: 1 as const, deviceId, version, groups }, issuer, CONFIG_TTL_MS);
    // Validate, but publish exactly what was signed: a parse could add defaults the signature does not cover.
    GroupsConfigSchema.parse(signed);
    await this.uplink.publish(topics.config(deviceId), JSON.stringify(signed), { qos: 1, retain: true });
    return version;
  }

  private nextVersion(deviceId: string): number {
    const row = this.db.prepare('SELECT config_version FROM console_devices WHERE id = ?').get(deviceId) as
      | { config_version: number }
      | undefined;
    const version = Math.max((row?.config_version ?? 0) + 1, Math.floor(this.now() / 1000));
    this.db
      .prepare(
        `INSERT INTO console_devices (id, config_version, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET config_version = excluded.config_version, updated_at = excluded.updated_at`,
      )
      .run(deviceId, version, this.now());
    return version;
  }
}
