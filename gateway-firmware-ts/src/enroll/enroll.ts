import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  EnrollmentRequestSchema,
  type EnrollmentResponse,
  EnrollmentResponseSchema,
} from '@xaso/device-profiles/contract';

export interface EnrollOptions {
  url: string;
  deviceId: string;
  code: string;
  configFile: string;
  /** For a config file that does not exist yet. */
  dataDir?: string;
}

/** Trades a one-time enrollment code for MQTT credentials and the console's signing key. */
export async function requestEnrollment(
  url: string,
  deviceId: string,
  code: string,
): Promise<EnrollmentResponse> {
  const body = EnrollmentRequestSchema.parse({ deviceId, code });
  const endpoint = new URL('enroll', url.endsWith('/') ? url : `${url}/`);
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`enrollment refused by ${endpoint.href}: HTTP ${response.status} ${text.slice(0, 300)}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`enrollment answer from ${endpoint.href} is not JSON: ${text.slice(0, 200)}`);
  }
  const parsed = EnrollmentResponseSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`enrollment answer does not match the contract: ${parsed.error.message}`);
  if (parsed.data.deviceId !== deviceId)
    throw new Error(`enrollment answer is for ${parsed.data.deviceId}, not ${deviceId}`);
  return parsed.data;
}

/** Writes the credentials into the config file (created when missing), readable by its owner only. */
export function writeEnrollment(options: EnrollOptions, enrollment: EnrollmentResponse): void {
  const file = options.configFile;
  const existing: Record<string, unknown> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    : { dataDir: options.dataDir ?? '/var/lib/xaso-gateway', devices: [] };
  const previousMqtt = (existing.mqtt ?? {}) as Record<string, unknown>;
  const updated = {
    ...existing,
    deviceId: enrollment.deviceId,
    mqtt: { ...previousMqtt, ...enrollment.mqtt },
    signingPublicKeyPem: enrollment.signingPublicKeyPem,
    groups: enrollment.groups,
  };
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(updated, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export async function enroll(options: EnrollOptions): Promise<EnrollmentResponse> {
  const enrollment = await requestEnrollment(options.url, options.deviceId, options.code);
  writeEnrollment(options, enrollment);
  return enrollment;
}
