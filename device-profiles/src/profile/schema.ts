import { z } from 'zod';
import { IdSchema } from '../contract/ids.js';
import { RegisterSchema } from './register.js';
import { checkProfileRules } from './rules.js';

export const SerialDefaultsSchema = z
  .object({
    type: z.literal('rtu'),
    baudRate: z.number().int().positive().default(9600),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
    unitId: z.number().int().min(0).max(247).default(1),
    timeoutMs: z.number().int().min(10).max(60_000).default(1000),
  })
  .strict();

export const TcpDefaultsSchema = z
  .object({
    type: z.literal('tcp'),
    port: z.number().int().min(1).max(65535).default(502),
    unitId: z.number().int().min(0).max(255).default(1),
    timeoutMs: z.number().int().min(10).max(60_000).default(1000),
  })
  .strict();

export const TransportSchema = z.discriminatedUnion('type', [SerialDefaultsSchema, TcpDefaultsSchema]);

/** Loudspeaker controller board points, each the name of a register in the map. */
export const SpeakerCapabilitySchema = z
  .object({
    amplifierRelay: z.string().describe('Coil (function 1) that powers the amplifier'),
    volume: z.string().describe('Writable holding register (function 3), 0–100'),
    tamper: z.string().optional().describe('Door/tamper input'),
    mainsVoltage: z.string().optional(),
    batteryVoltage: z.string().optional(),
    amplifierCurrent: z.string().optional(),
    amplifierFault: z.string().optional(),
    temperature: z.string().optional(),
  })
  .strict();

export const DeviceKindSchema = z.enum(['air-quality', 'water-quality', 'pm-sensor', 'speaker-controller']);

export const ProfileSchema = z
  .object({
    $schema: z.string().optional(),
    name: IdSchema,
    kind: DeviceKindSchema,
    manufacturer: z.string().min(1).max(100),
    model: z.string().min(1).max(100),
    description: z.string().max(500).optional(),
    datasheet: z.string().url().optional(),
    transport: TransportSchema,
    pollIntervalMs: z.number().int().min(100).max(86_400_000).default(10_000),
    registers: z.array(RegisterSchema).min(1).max(500),
    capabilities: z
      .object({
        channels: z
          .array(z.string())
          .optional()
          .describe('Sensor channels; defaults to every non-speaker register'),
        speaker: SpeakerCapabilitySchema.optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .superRefine(checkProfileRules);

export type Profile = z.output<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;
export type DeviceKind = z.infer<typeof DeviceKindSchema>;
