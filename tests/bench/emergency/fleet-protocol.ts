import { z } from 'zod';

/**
 * What one forked fleet process runs: full speaker gateways, light clusters (light-cluster.ts) or light air
 * stations that report telemetry (../scale/light-station.ts).
 */
export const FleetModeSchema = z.enum(['gateways', 'light', 'stations']);
export type FleetMode = z.infer<typeof FleetModeSchema>;

const CredentialsSchema = z.object({
  id: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
  groups: z.array(z.string()),
});

/** Parent → fleet process over the IPC channel. */
export const FleetOrderSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    mode: FleetModeSchema,
    broker: z.object({ host: z.string(), port: z.number().int().positive() }),
    signingPublicKeyPem: z.string().min(1),
    clusters: z.array(CredentialsSchema),
    dataRoot: z.string().min(1),
    connectTimeoutMs: z.number().int().positive(),
    /** Stations: seconds between telemetry batches. */
    reportEveryS: z.number().positive().default(60),
  }),
  z.object({ type: z.literal('stop') }),
]);
export type FleetOrder = z.infer<typeof FleetOrderSchema>;

/** Fleet process → parent. */
export const FleetReportSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    clusters: z.number().int(),
    down: z.array(z.string()),
    startMs: z.number(),
  }),
  z.object({ type: z.literal('stopped') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type FleetReport = z.infer<typeof FleetReportSchema>;
