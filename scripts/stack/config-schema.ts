import { z } from 'zod';
import { TAY_NINH_FILE } from '../province/province.js';

/** The real deployment's loudspeaker clusters. */
export const PROVINCE_CLUSTERS = 200;

export const LogLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * `npm start`'s own settings. The `broker`, `collector` and `console` sections are those components'
 * configuration objects (validated by their own schemas after the defaults below are filled in).
 */
export const StartConfigSchema = z.strictObject({
  /** Everything the stack writes: registry, broker sessions, time series, gateway queues, logs. */
  dataDir: z.string().min(1).default('./data'),
  /** Address every service listens on; 0.0.0.0 to serve the network (then set broker.publicUrl). */
  host: z.string().min(1).default('127.0.0.1'),
  /**
   * An external broker (EMQX, Mosquitto) the collector, console and simulated gateways use instead of the
   * stack's own; the stack's broker then serves only enrollment and the registry hooks (docs/external-broker.md).
   */
  mqttUrl: z
    .string()
    .regex(/^(mqtts?|wss?):\/\/[^/]+/, 'must be an mqtt://, mqtts://, ws:// or wss:// URL')
    .optional(),
  log: z
    .strictObject({
      level: LogLevelSchema.default('info'),
      /** JSON log file, relative to dataDir; "-" writes every line to stderr instead (systemd, containers). */
      file: z.string().min(1).default('logs/xaso.log'),
    })
    .default({ level: 'info', file: 'logs/xaso.log' }),
  broker: z.record(z.string(), z.unknown()).default({}),
  collector: z.record(z.string(), z.unknown()).default({}),
  console: z.record(z.string(), z.unknown()).default({}),
  simulation: z
    .strictObject({
      /** The province file: communes and stations with coordinates. */
      province: z.string().min(1).default(TAY_NINH_FILE),
      /** Days of history written once into an empty store so charts are not empty; 0 = none. */
      backfillDays: z.number().min(0).max(31).default(3),
      backfillStepMinutes: z.number().int().min(1).max(60).default(15),
      /** How the simulated water probes are wired: Modbus TCP, or RS485 (RTU) over a socat pty pair per probe. */
      waterLink: z.enum(['tcp', 'rtu']).default('tcp'),
      /** Loudspeaker clusters spread over the communes (the real deployment has 200). */
      clusters: z.number().int().min(0).max(20_000).default(PROVINCE_CLUSTERS),
    })
    .default({
      province: TAY_NINH_FILE,
      backfillDays: 3,
      backfillStepMinutes: 15,
      waterLink: 'tcp',
      clusters: PROVINCE_CLUSTERS,
    }),
  /** Seconds between the one-line "readings stored" summaries on stdout; 0 = none. */
  statusIntervalS: z.number().int().min(0).max(3600).default(60),
});

export type StartConfigInput = z.input<typeof StartConfigSchema>;
export type StartSettings = z.output<typeof StartConfigSchema>;
