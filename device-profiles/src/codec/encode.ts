import { type RegisterDef, wordsOf } from '../profile/register.js';
import { bufferToWords, reorder } from './word-order.js';

const INT_LIMITS = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
} as const;

/** Raw register content for a raw number (simulators and writes); integers are rounded and clamped. */
export function encodeRaw(reg: Pick<RegisterDef, 'type' | 'order'>, raw: number): number[] {
  if (reg.type === 'bool') return [raw ? 1 : 0];
  const buf = Buffer.alloc(wordsOf(reg) * 2);
  switch (reg.type) {
    case 'float32':
      buf.writeFloatBE(raw, 0);
      break;
    case 'float64':
      buf.writeDoubleBE(raw, 0);
      break;
    default: {
      const [lo, hi] = INT_LIMITS[reg.type];
      const n = Math.min(hi, Math.max(lo, Math.round(raw)));
      if (reg.type === 'int16') buf.writeInt16BE(n, 0);
      else if (reg.type === 'uint16') buf.writeUInt16BE(n, 0);
      else if (reg.type === 'int32') buf.writeInt32BE(n, 0);
      else buf.writeUInt32BE(n, 0);
    }
  }
  return reorder(bufferToWords(buf), reg.order);
}

/** Registers for an engineering value: inverse of scale and offset, then encodeRaw. */
export function encodeRegister(
  reg: Pick<RegisterDef, 'type' | 'order' | 'scale' | 'offset'>,
  value: number,
): number[] {
  return encodeRaw(reg, (value - reg.offset) / reg.scale);
}
