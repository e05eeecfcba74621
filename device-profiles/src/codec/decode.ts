import type { Quality } from '../contract/units.js';
import { type RegisterDef, wordsOf } from '../profile/register.js';
import { reorder, wordsToBuffer } from './word-order.js';

export interface DecodedValue {
  /** Engineering value (raw × scale + offset); null when the instrument gave no usable number. */
  value: number | null;
  raw: number;
  quality: Quality;
}

type RawInput = readonly number[] | readonly boolean[];

/**
 * The shortest decimal that is the same float32 (25.299999237060547 → 25.3), so readings and
 * `faultValues` written in decimal compare as the instrument meant them.
 */
function shortestFloat32(f: number): number {
  if (!Number.isFinite(f)) return f;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number.parseFloat(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return Number.parseFloat(f.toPrecision(9));
}

/** The raw number in the registers, before scale and offset. */
export function rawValue(reg: Pick<RegisterDef, 'type' | 'order' | 'name'>, input: RawInput): number {
  const need = wordsOf(reg);
  if (input.length !== need)
    throw new Error(`${reg.name}: ${reg.type} needs ${need} register(s), got ${input.length}`);
  if (reg.type === 'bool') return input[0] ? 1 : 0;
  const words = (input as readonly number[]).map((w) => {
    if (!Number.isInteger(w) || w < 0 || w > 0xffff)
      throw new Error(`${reg.name}: register value ${w} is not a 16-bit word`);
    return w;
  });
  const buf = wordsToBuffer(reorder(words, reg.order));
  switch (reg.type) {
    case 'int16':
      return buf.readInt16BE(0);
    case 'uint16':
      return buf.readUInt16BE(0);
    case 'int32':
      return buf.readInt32BE(0);
    case 'uint32':
      return buf.readUInt32BE(0);
    case 'float32':
      return shortestFloat32(buf.readFloatBE(0));
    case 'float64':
      return buf.readDoubleBE(0);
  }
}

/** Decodes one register and flags its quality; never drops a value silently. */
export function decodeRegister(reg: RegisterDef, input: RawInput): DecodedValue {
  const raw = rawValue(reg, input);
  if (!Number.isFinite(raw)) return { value: null, raw, quality: 'nan' };
  if (reg.faultValues?.includes(raw)) return { value: null, raw, quality: 'sensor_fault' };
  // Round away binary noise from the scale (0.1 × 253 = 25.300000000000001) to 12 significant digits;
  // an unscaled value is kept exact so float64 and large uint32 counters lose nothing.
  const identity = reg.scale === 1 && reg.offset === 0;
  const value = identity ? raw : Number.parseFloat((raw * reg.scale + reg.offset).toPrecision(12));
  if (reg.range && (value < reg.range[0] || value > reg.range[1]))
    return { value, raw, quality: 'out_of_range' };
  return { value, raw, quality: 'good' };
}
