import { parseArgs } from 'node:util';
import { DeviceIdSchema, GroupIdSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { DEVICE_ROLES, SERVICE_ROLES } from '../policy/principal.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: npm run enroll -- <command> [--data DIR]
  --device <id> [--role speaker-cluster|sensor-gateway] [--groups a,b] [--ttl 24h]
                          create the device if missing and issue a one-time enrollment code
  --disable <id>          refuse the device's connections from now on
  --enable <id>           accept the device again
  --rotate <id>           issue a new MQTT password for the device (printed once)
  --list                  list devices
  --service collector|console
                          create or reset a service's MQTT credentials (printed once)
  --mosquitto-acl <file>  write a Mosquitto ACL file for the current registry
  --data DIR              data directory holding registry.sqlite (default ./data)`;

const DurationSchema = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, 'use a number with s, m, h or d, e.g. 24h')
  .transform(
    (s) =>
      Number.parseInt(s, 10) *
      { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[s.at(-1) as 's' | 'm' | 'h' | 'd'],
  )
  .refine((ms) => ms > 0, 'the lifetime must be positive');

export type EnrollCommand =
  | {
      kind: 'issue';
      deviceId: string;
      role?: (typeof DEVICE_ROLES)[number];
      groups?: string[];
      ttlMs?: number;
    }
  | { kind: 'disable' | 'enable' | 'rotate'; deviceId: string }
  | { kind: 'list' }
  | { kind: 'service'; role: (typeof SERVICE_ROLES)[number] }
  | { kind: 'mosquitto-acl'; file: string };

function field<T>(schema: z.ZodType<T>, value: string, flag: string): T {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new UsageError(
      `${flag}: ${r.error.issues[0]?.message ?? 'invalid'} (got ${JSON.stringify(value)})`,
    );
  return r.data;
}

export function parseEnrollArgs(argv: string[]): { command: EnrollCommand; dataDir: string } {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const dataDir = values.data ?? './data';
  const chosen = (
    ['device', 'disable', 'enable', 'rotate', 'list', 'service', 'mosquitto-acl'] as const
  ).filter((k) => values[k] !== undefined);
  if (chosen.length !== 1)
    throw new UsageError(chosen.length === 0 ? 'no command given' : `choose one of --${chosen.join(', --')}`);
  const id = (flag: 'device' | 'disable' | 'enable' | 'rotate') =>
    field(DeviceIdSchema, values[flag] ?? '', `--${flag}`);
  if ((values.role ?? values.groups ?? values.ttl) !== undefined && values.device === undefined) {
    throw new UsageError('--role, --groups and --ttl only go with --device');
  }
  switch (chosen[0]) {
    case 'device':
      return {
        dataDir,
        command: {
          kind: 'issue',
          deviceId: id('device'),
          role: values.role === undefined ? undefined : field(z.enum(DEVICE_ROLES), values.role, '--role'),
          groups:
            values.groups === undefined
              ? undefined
              : values.groups
                  .split(',')
                  .filter((g) => g.length > 0)
                  .map((g) => field(GroupIdSchema, g, '--groups')),
          ttlMs: values.ttl === undefined ? undefined : field(DurationSchema, values.ttl, '--ttl'),
        },
      };
    case 'disable':
    case 'enable':
    case 'rotate':
      return { dataDir, command: { kind: chosen[0], deviceId: id(chosen[0]) } };
    case 'list':
      return { dataDir, command: { kind: 'list' } };
    case 'service':
      return {
        dataDir,
        command: { kind: 'service', role: field(z.enum(SERVICE_ROLES), values.service ?? '', '--service') },
      };
    default:
      return { dataDir, command: { kind: 'mosquitto-acl', file: values['mosquitto-acl'] ?? '' } };
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      device: { type: 'string' },
      role: { type: 'string' },
      groups: { type: 'string' },
      ttl: { type: 'string' },
      data: { type: 'string' },
      disable: { type: 'string' },
      enable: { type: 'string' },
      rotate: { type: 'string' },
      list: { type: 'boolean' },
      service: { type: 'string' },
      'mosquitto-acl': { type: 'string' },
    },
  });
}
