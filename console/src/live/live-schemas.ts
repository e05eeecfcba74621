import { z } from '@hono/zod-openapi';

/** Who may watch the map and device states: every role (admins always may). */
export const LIVE_ROLES = ['operator', 'approver', 'environment', 'technician'] as const;

export const LivePositionSchema = z.object({
  lat: z.number(),
  lon: z.number(),
  /** True when the device has no surveyed position and stands near its area's centre instead. */
  approximate: z.boolean(),
});

export const LiveFaultSchema = z.object({
  /** Instrument, port or subsystem: `amplifier`, a source name such as `aqms`, `port:rs485`, `door`. */
  part: z.string(),
  problem: z.enum(['fault', 'disconnected', 'error', 'open']),
  detail: z.string().optional(),
});

/** One device as the overview map shows it: identity, place, presence, what it plays and what is broken. */
export const LiveDeviceSchema = z
  .object({
    id: z.string(),
    role: z.enum(['sensor-gateway', 'speaker-cluster']),
    name: z.string().nullable(),
    areaId: z.string().nullable(),
    position: LivePositionSchema.nullable(),
    state: z.enum(['online', 'offline']),
    /** Never heard from since it was registered (no status from the uplink or the collector). */
    neverSeen: z.boolean(),
    disabled: z.boolean(),
    enrolled: z.boolean(),
    playing: z
      .object({
        title: z.string().nullable(),
        priority: z.enum(['emergency', 'priority', 'normal']),
        startedAt: z.number().int(),
      })
      .nullable(),
    faults: z.array(LiveFaultSchema),
    /** When the device produced its latest status. */
    lastSeen: z.number().int().nullable(),
  })
  .openapi('LiveDevice');

export const LiveSnapshotSchema = z
  .object({ at: z.number().int(), devices: z.array(LiveDeviceSchema) })
  .openapi('LiveSnapshot');

export const MapSettingsSchema = z
  .object({
    /** Leaflet URL template ({z}/{x}/{y}) on the console's tile proxy; empty = no tiles, only the schematic. */
    tileUrl: z.string(),
    attribution: z.string(),
    /** How long the browser waits for the first tile before it falls back to the schematic. */
    tileTimeoutMs: z.number().int(),
  })
  .openapi('MapSettings');

export type LiveDevice = z.infer<typeof LiveDeviceSchema>;
export type LiveFault = z.infer<typeof LiveFaultSchema>;
export type LiveSnapshot = z.infer<typeof LiveSnapshotSchema>;
export type MapSettings = z.infer<typeof MapSettingsSchema>;

/** What the stream sends after the snapshot. */
export type LiveUpdate = { kind: 'device'; device: LiveDevice } | { kind: 'removed'; id: string };
