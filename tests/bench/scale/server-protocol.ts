import { z } from 'zod';

const CredentialsSchema = z.object({
  id: z.string(),
  username: z.string(),
  password: z.string(),
  groups: z.array(z.string()),
});

/** Bench driver → region server process. */
export const ServerOrderSchema = z.discriminatedUnion('type', [
  /** Arrival times of the first `playing` ack per cluster for any of these command ids. */
  z.object({ type: z.literal('acks'), commandIds: z.array(z.string()) }),
  /** A signed emergency published straight to the group topic on the console's uplink (the baseline). */
  z.object({ type: z.literal('baseline'), groupId: z.string(), round: z.number().int() }),
  /** V8 CPU profile of the server process: `start`, then `stop` writes it to `file`. */
  z.object({ type: z.literal('profile'), action: z.enum(['start', 'stop']), file: z.string() }),
  z.object({ type: z.literal('stop') }),
]);
export type ServerOrder = z.infer<typeof ServerOrderSchema>;

/** Region server process → bench driver. */
export const ServerReportSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    mqtt: z.object({ host: z.string(), port: z.number().int() }),
    consoleUrl: z.string(),
    brokerHttpUrl: z.string(),
    metricsUrl: z.string(),
    signingPublicKeyPem: z.string(),
    operator: z.object({ username: z.string(), password: z.string() }),
    clusters: z.array(CredentialsSchema),
    stations: z.array(CredentialsSchema),
    provinceId: z.string(),
    startMs: z.number(),
  }),
  z.object({ type: z.literal('acks'), times: z.array(z.number()) }),
  z.object({ type: z.literal('baseline-sent'), commandId: z.string(), sentAt: z.number() }),
  z.object({ type: z.literal('stopped') }),
  z.object({ type: z.literal('profiled'), action: z.enum(['start', 'stop']) }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type ServerReport = z.infer<typeof ServerReportSchema>;
