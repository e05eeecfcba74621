import { getProfile } from '@xaso/device-profiles';
import { type DeviceConfig, DeviceConfigSchema } from '@xaso/device-profiles/contract';
import {
  type RefusalReason,
  describeIssues,
  expiryProblem,
  parseJsonPayload,
  signatureProblem,
} from './signed-message.js';

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
  const json = parseJsonPayload(payload);
  if (!('raw' in json)) return { kind: 'refuse', ...json };
  const raw = json.raw;
  const version = versionOf(raw);
  const parsed = DeviceConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const reason = describeIssues(parsed.error);
    if (version === undefined) return { kind: 'refuse', reason: 'malformed', detail: reason.slice(0, 500) };
    return { kind: 'invalid', version, reason: reason.slice(0, 2000) };
  }
  const config = parsed.data;
  const base = { version: config.version, id: config.id };
  if (config.deviceId !== check.deviceId) {
    return { kind: 'refuse', reason: 'wrong-device', detail: `config is for ${config.deviceId}`, ...base };
  }
  const forged = signatureProblem(raw, check.signingKeyPem);
  if (forged) return { kind: 'refuse', ...forged, ...base };
  // The retained copy of the applied version comes back on every reconnect, long after it expired.
  if (config.version === check.currentVersion) return { kind: 'same', version: config.version };
  const expired = expiryProblem(config.expiresAt, check.now);
  if (expired) return { kind: 'refuse', ...expired, ...base };
  if (config.version < check.currentVersion) {
    return {
      kind: 'refuse',
      reason: 'stale-version',
      detail: `version ${config.version} is older than the applied version ${check.currentVersion}`,
      ...base,
    };
  }
  for (const device of config.devices ?? []) {
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
