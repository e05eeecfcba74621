import { AttachedDeviceSchema, VolumeSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import { ProcessPlayerConfigSchema } from './io/process-player.js';

/** Timing and volume rules of the loudspeaker role. */
export const SpeakerTimingSchema = z
  .object({
    defaultVolume: VolumeSchema.default(70).describe('Until set-volume or a remote config says otherwise'),
    volumeControl: z
      .enum(['player', 'amplifier'])
      .default('player')
      .describe('Which part attenuates: the player in software, or the controller board'),
    amplifierWarmupMs: z.number().int().min(0).max(30_000).default(2000),
    amplifierIdleOffMs: z.number().int().min(0).max(3_600_000).default(30_000),
    graceMs: z
      .number()
      .int()
      .min(1000)
      .max(300_000)
      .default(30_000)
      .describe('A slot may start this late; later it is reported missed instead of played late'),
    lookBackHours: z
      .number()
      .min(0)
      .max(24 * 7)
      .default(24),
    aliveEveryS: z.number().int().min(1).max(3600).default(30),
  })
  .strict();

/** The `speaker` section of gateway.json: present means this gateway runs a loudspeaker cluster. */
export const SpeakerSettingsSchema = SpeakerTimingSchema.extend({
  player: ProcessPlayerConfigSchema.prefault({}).describe('mpg123, ffplay or mpv and its output'),
  simulatePlayback: z
    .boolean()
    .default(false)
    .describe('Play by the clock with no sound (a bench without a sound card)'),
  audio: z
    .object({
      consoleUrl: z.string().url().describe('Where audio is downloaded from (playlist paths are relative)'),
      dir: z.string().min(1).optional().describe('Cache directory; defaults to <dataDir>/audio'),
      budgetBytes: z
        .number()
        .int()
        .min(1024 * 1024)
        .default(2 * 1024 * 1024 * 1024),
    })
    .strict(),
  amplifier: AttachedDeviceSchema.optional().describe(
    'The speaker-controller board (relay, volume, door, power); absent: the amplifier is wired always on',
  ),
}).strict();

export type SpeakerTiming = z.output<typeof SpeakerTimingSchema>;
export type SpeakerSettings = z.output<typeof SpeakerSettingsSchema>;
