import { z } from 'zod';
import { DeviceIdSchema, EpochMsSchema } from './ids.js';

export const DeviceRoleSchema = z.enum(['sensor-gateway', 'speaker-cluster']);

export const SourceHealthSchema = z.object({
  state: z.enum(['ok', 'fault', 'disconnected']),
  pollSuccessRate: z.number().min(0).max(1).describe('Share of successful polls over the last window'),
  lastError: z.string().optional(),
});

export const SpeakerStateSchema = z.object({
  playing: z
    .object({
      broadcastId: z.string().optional(),
      title: z.string().optional(),
      priority: z.enum(['emergency', 'priority', 'normal']),
      startedAt: EpochMsSchema,
    })
    .nullable(),
  volume: z.number().int().min(0).max(100),
  amplifier: z.enum(['on', 'off', 'fault']),
  scheduleVersion: z.number().int().nonnegative().optional(),
  mainsV: z.number().optional(),
  batteryV: z.number().optional(),
  amplifierA: z.number().optional(),
  doorOpen: z.boolean().optional(),
  temperatureC: z.number().optional(),
  signalDbm: z.number().optional(),
});

/** Retained on the status topic; the offline form is the device's last will. */
export const StatusSchema = z.object({
  v: z.literal(1),
  deviceId: DeviceIdSchema,
  state: z.enum(['online', 'offline']),
  ts: EpochMsSchema.describe('When the device produced this status (for a last will: when it connected)'),
  reason: z.enum(['connect', 'periodic', 'last-will', 'shutdown']).optional(),
  role: DeviceRoleSchema.optional(),
  firmware: z.string().max(64).optional(),
  uptimeS: z.number().nonnegative().optional(),
  queueDepth: z.number().int().nonnegative().optional(),
  freeDiskBytes: z.number().int().nonnegative().optional(),
  sources: z.record(z.string(), SourceHealthSchema).optional(),
  ports: z.record(z.string(), z.enum(['open', 'closed', 'error'])).optional(),
  speaker: SpeakerStateSchema.optional(),
});

export type Status = z.infer<typeof StatusSchema>;
export type SpeakerState = z.infer<typeof SpeakerStateSchema>;
