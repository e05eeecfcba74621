import { getProfile } from '@xaso/device-profiles';
import {
  type DeviceConfig,
  DeviceConfigSchema,
  type RefusalEventSchema,
} from '@xaso/device-profiles/contract';
import { verifyMessage } from '@xaso/device-profiles/signing';
import type { z } from 'zod';

type RefusalReason = z.infer<typeof RefusalEventSchema>['reason'];

export type ConfigVerdict =
  | { kind: 'accept'; config: DeviceConfig }
  | { kind: 'same'; version: number }
  | { kind: 'refuse'; reason: RefusalReason; detail: string; version?: number; id?: string }
  | { kind: 'invalid'; version: number; reason: string };

export interface ConfigCheck {
  deviceId: string;
  signingKeyPem: string | undefined;
  currentVersion: number;
  now: number;
}

function versionOf(raw: unknown): number | undefined {
  const v = (raw as { version?: unknown } | null)?.version;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** Decides what to do with a payload from the retained config topic; the order of checks is the audit trail. */
export function judgeRemoteConfig(payload: Buffer, check: ConfigCheck): ConfigVerdict {
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return {
      kind: 'refuse',
      reason: 'malformed',
      detail: `not JSON: ${(err as Error).message}`.slice(0, 500),
    };
  }
  const version = versionOf(raw);
  const parsed = DeviceConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    if (version === undefined) return { kind: 'refuse', reason: 'malformed', detail: reason.slice(0, 500) };
    return { kind: 'invalid', version, reason: reason.slice(0, 2000) };
  }
  const config = parsed.data;
  const base = { version: config.version, id: config.id };
  if (config.deviceId !== check.deviceId) {
    return { kind: 'refuse', reason: 'wrong-device', detail: `config is for ${config.deviceId}`, ...base };
  }
  if (check.signingKeyPem === undefined) {
    return { kind: 'refuse', reason: 'unsigned', detail: 'no signing key configured; enroll first', ...base };
  }
  if (!verifyMessage(raw, check.signingKeyPem)) {
    return { kind: 'refuse', reason: 'bad-signature', detail: 'signature does not verify', ...base };
  }
  if (config.expiresAt <= check.now) {
    return {
      kind: 'refuse',
      reason: 'expired',
      detail: `expired at ${new Date(config.expiresAt).toISOString()}`,
      ...base,
    };
  }
  if (config.version === check.currentVersion) return { kind: 'same', version: config.version };
  if (config.version < check.currentVersion) {
    return {
      kind: 'refuse',
      reason: 'stale-version',
      detail: `version ${config.version} is older than the applied version ${check.currentVersion}`,
      ...base,
    };
  }
  for (const device of config.devices) {
    try {
      getProfile(device.profile);
    } catch (err) {
      return {
        kind: 'invalid',
        version: config.version,
        reason: `devices.${device.name}: ${(err as Error).message}`,
      };
    }
  }
  return { kind: 'accept', config };
}
