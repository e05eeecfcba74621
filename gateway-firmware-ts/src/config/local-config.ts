import { readFileSync } from 'node:fs';
import { AttachedDeviceSchema, DeviceIdSchema, GroupIdSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { SpeakerSettingsSchema } from '../speaker/settings.js';

export const QueueSettingsSchema = z
  .object({
    diskBudgetBytes: z
      .number()
      .int()
      .min(4096)
      .default(256 * 1024 * 1024),
    drainRatePerSecond: z.number().positive().max(10_000).default(50),
    maxInFlight: z.number().int().min(1).max(1000).default(20),
    batchMaxReadings: z.number().int().min(1).max(5000).default(500),
  })
  .strict();

export const PollingSettingsSchema = z
  .object({
    gapTolerance: z
      .number()
      .int()
      .min(0)
      .max(120)
      .default(4)
      .describe('Registers read through to merge two blocks'),
    timeoutMs: z.number().int().min(10).max(60_000).optional().describe('Overrides the profile timeout'),
    backoffBaseMs: z.number().int().min(10).default(1000),
    backoffMaxMs: z.number().int().min(10).default(60_000),
  })
  .strict();

export const MqttSettingsSchema = z
  .object({
    url: z.string().regex(/^(mqtts?|wss?|tcp|tls):\/\//, 'must be an mqtt://, mqtts://, ws:// or wss:// URL'),
    username: z.string().optional(),
    password: z.string().optional(),
    ca: z.string().optional().describe('PEM or a path to a PEM file for mqtts'),
    keepaliveS: z.number().int().min(5).max(3600).default(30),
    reconnectPeriodMs: z.number().int().min(100).max(600_000).default(2000),
  })
  .strict();

/** The gateway's local file: what a technician writes and enrollment completes. */
export const LocalConfigSchema = z
  .object({
    deviceId: DeviceIdSchema,
    mqtt: MqttSettingsSchema,
    signingPublicKeyPem: z.string().includes('BEGIN PUBLIC KEY').optional(),
    signingPublicKeyPath: z.string().optional(),
    dataDir: z.string().min(1),
    groups: z.array(GroupIdSchema).default([]),
    devices: z.array(AttachedDeviceSchema).max(64).default([]),
    queue: QueueSettingsSchema.default(QueueSettingsSchema.parse({})),
    polling: PollingSettingsSchema.default(PollingSettingsSchema.parse({})),
    statusIntervalS: z.number().int().min(1).max(3600).default(60),
    speaker: SpeakerSettingsSchema.optional().describe('Present: this gateway runs a loudspeaker cluster'),
  })
  .strict();

export type LocalConfig = z.output<typeof LocalConfigSchema>;
export type QueueSettings = z.output<typeof QueueSettingsSchema>;
export type PollingSettings = z.output<typeof PollingSettingsSchema>;

export class ConfigError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file}: invalid gateway configuration\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function fieldOf(path: ReadonlyArray<PropertyKey>): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[') || '(root)'
  );
}

export function parseLocalConfig(raw: unknown, file: string): LocalConfig {
  const result = LocalConfigSchema.safeParse(raw);
  if (!result.success)
    throw new ConfigError(
      file,
      result.error.issues.map((i) => `${fieldOf(i.path)}: ${i.message}`),
    );
  return result.data;
}

export function readConfigJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [`(file): ${code === 'ENOENT' ? 'file not found' : (err as Error).message}`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(file, [`(file): not valid JSON: ${(err as Error).message}`]);
  }
}

export function loadLocalConfig(file: string): LocalConfig {
  return parseLocalConfig(readConfigJson(file), file);
}

/** The console's public key, inline or from a file; undefined when the gateway was never enrolled. */
export function signingKeyOf(config: LocalConfig): string | undefined {
  if (config.signingPublicKeyPem) return config.signingPublicKeyPem;
  if (config.signingPublicKeyPath) return readFileSync(config.signingPublicKeyPath, 'utf8');
  return undefined;
}
