import { StoreConfigSchema } from '@xaso/collector';
import { z } from 'zod';
import { AlarmWarningConfigSchema } from '../alarms/config.js';
import { AudioConfigSchema } from '../audio/config.js';
import { InformationSourceConfigSchema } from '../information-source/config.js';
import { LiveConfigSchema, MapConfigSchema } from '../live/live-config.js';

const PortSchema = z.number().int().min(0).max(65535);

export const LoginLimitSchema = z.object({
  /** Failed logins for one username within the window before it is locked until the window passes. */
  maxFailuresPerUser: z.number().int().min(1).max(1000).default(5),
  /** Failed logins from one address within the window. */
  maxFailuresPerAddress: z.number().int().min(1).max(10_000).default(20),
  windowMs: z
    .number()
    .int()
    .min(1000)
    .max(86_400_000)
    .default(15 * 60_000),
});

export const ConsoleConfigSchema = z.object({
  /** Loopback by default: a console reachable from the network should sit behind a TLS proxy. */
  host: z.string().min(1).default('127.0.0.1'),
  port: PortSchema.default(8080),
  /** Where users and gateways reach the console; https here makes the session cookie Secure. */
  publicUrl: z.string().url().optional(),
  dataDir: z.string().min(1).default('./data'),
  /** The broker's registry file (the broker keeps it as <its dataDir>/registry.sqlite). */
  registryDb: z.string().min(1).optional(),
  mqtt: z
    .object({
      url: z.string().url().default('mqtt://127.0.0.1:1883'),
      /** The `_console` service password; when absent the console issues one through the shared registry. */
      password: z.string().min(16).max(1024).optional(),
      clientId: z
        .string()
        .regex(/^console-[A-Za-z0-9._-]{1,100}$/, 'must start with "console-"')
        .default('console-main'),
    })
    .default({ url: 'mqtt://127.0.0.1:1883', clientId: 'console-main' }),
  /** The collector's state DB, opened read-only for presence and events. */
  collectorStateDb: z.string().min(1).optional(),
  /** The collector's time-series store (same settings as its `store`), opened for reading; absent = no environment data. */
  timeSeries: StoreConfigSchema.optional(),
  /** JSON file with the initial area tree, read when the area table is empty. */
  areasFile: z.string().min(1).optional(),
  sessionTtlMs: z
    .number()
    .int()
    .min(1000)
    .max(30 * 86_400_000)
    .default(8 * 3_600_000),
  /** scrypt cost as a power of two (N = 2^cost); lower only for tests. */
  passwordHashCost: z.number().int().min(10).max(20).default(15),
  login: LoginLimitSchema.default(LoginLimitSchema.parse({})),
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: z.boolean().default(false),
  /** The audio library's settings (upload limit, loudness, text-to-speech engine). */
  audio: AudioConfigSchema.optional(),
  /** The provincial information source system (Hệ thống thông tin nguồn); absent = the exchange is off. */
  informationSource: InformationSourceConfigSchema.optional(),
  /** Automatic warning broadcasts for raised collector alarms whose rule has autoBroadcast. */
  alarmWarnings: AlarmWarningConfigSchema.optional(),
  /** The overview map's tile source (default OpenStreetMap; "" = schematic only). */
  map: MapConfigSchema.default(MapConfigSchema.parse({})),
  /** The live device state stream. */
  live: LiveConfigSchema.default(LiveConfigSchema.parse({})),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;
export type ConsoleConfigInput = z.input<typeof ConsoleConfigSchema>;
