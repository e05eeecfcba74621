import { z } from 'zod';
import { UnitSchema } from '../contract/units.js';

export const DATA_TYPES = ['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'] as const;
export const DataTypeSchema = z.enum(DATA_TYPES);
export type DataType = z.infer<typeof DataTypeSchema>;

/** Registers (16-bit words) each data type occupies; bool is one coil or discrete input. */
export const WORDS_OF: Record<DataType, number> = {
  bool: 1,
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  float64: 4,
};

/** A = most significant byte. CDAB swaps words, BADC swaps bytes in each word, DCBA both. */
export const WORD_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export const WordOrderSchema = z.enum(WORD_ORDERS);
export type WordOrder = z.infer<typeof WordOrderSchema>;

/** Modbus read function codes: 1 coils, 2 discrete inputs, 3 holding registers, 4 input registers. */
export const FunctionCodeSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export type FunctionCode = z.infer<typeof FunctionCodeSchema>;

export const RegisterSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'use lower-case snake_case')
      .max(64),
    description: z.string().max(200).optional(),
    function: FunctionCodeSchema,
    address: z.number().int().min(0).max(65535),
    type: DataTypeSchema,
    length: z
      .number()
      .int()
      .min(1)
      .max(4)
      .optional()
      .describe('Registers used; must match the type when given'),
    order: WordOrderSchema.default('ABCD'),
    scale: z
      .number()
      .refine((s) => s !== 0 && Number.isFinite(s), 'scale must be a finite non-zero number')
      .default(1),
    offset: z.number().default(0),
    unit: UnitSchema,
    range: z.tuple([z.number(), z.number()]).optional().describe('Valid engineering range [min, max]'),
    pollIntervalMs: z.number().int().min(100).max(86_400_000).optional(),
    writable: z.boolean().default(false),
    channel: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional()
      .describe('Measured quantity; defaults to name'),
    stuckAfter: z
      .number()
      .int()
      .min(2)
      .optional()
      .describe('Identical readings in a row that flag a stuck sensor'),
    faultValues: z
      .array(z.number())
      .optional()
      .describe('Raw values the instrument sends for a sensor fault'),
  })
  .strict();

export type RegisterDef = z.output<typeof RegisterSchema>;
export type RegisterInput = z.input<typeof RegisterSchema>;

export function wordsOf(reg: Pick<RegisterDef, 'type'>): number {
  return WORDS_OF[reg.type];
}

export function channelOf(reg: Pick<RegisterDef, 'name' | 'channel'>): string {
  return reg.channel ?? reg.name;
}
