import type { SimulatedDevice } from '../device.js';
import { ExceptionCode, ModbusException } from './exception.js';

/** Function codes the simulator serves. */
export const SUPPORTED_FUNCTIONS = [1, 2, 3, 4, 5, 6, 15, 16] as const;

export function exceptionPdu(functionCode: number, code: number): Buffer {
  return Buffer.from([(functionCode | 0x80) & 0xff, code & 0xff]);
}

/**
 * Answers one request PDU (function code + data, no unit id or checksum) from a device: the response PDU,
 * or an exception PDU for bad requests. Shared by the TCP server and the RTU slave.
 */
export function answerPdu(device: SimulatedDevice, pdu: Buffer): Buffer {
  const fc = pdu[0] ?? 0;
  try {
    return respond(device, fc, pdu);
  } catch (err) {
    if (err instanceof ModbusException) return exceptionPdu(fc, err.code);
    return exceptionPdu(fc, ExceptionCode.SlaveDeviceFailure);
  }
}

function respond(device: SimulatedDevice, fc: number, pdu: Buffer): Buffer {
  switch (fc) {
    case 1:
    case 2: {
      const [address, count] = header(pdu, 5);
      quantity(count, 2000);
      return packBits(fc, device.read(fc, address, count));
    }
    case 3:
    case 4: {
      const [address, count] = header(pdu, 5);
      quantity(count, 125);
      const words = device.read(fc, address, count);
      const out = Buffer.alloc(2 + words.length * 2);
      out[0] = fc;
      out[1] = words.length * 2;
      words.forEach((w, i) => out.writeUInt16BE(w, 2 + i * 2));
      return out;
    }
    case 5: {
      const [address, value] = header(pdu, 5);
      if (value !== 0xff00 && value !== 0x0000)
        throw invalid(`coil value must be 0xFF00 or 0x0000, got 0x${value.toString(16)}`);
      device.write(1, address, [value === 0xff00 ? 1 : 0]);
      return Buffer.from(pdu.subarray(0, 5));
    }
    case 6: {
      const [address, value] = header(pdu, 5);
      device.write(3, address, [value]);
      return Buffer.from(pdu.subarray(0, 5));
    }
    case 15: {
      const [address, count] = header(pdu, 6);
      quantity(count, 1968);
      const byteCount = pdu[5] ?? 0;
      if (byteCount !== Math.ceil(count / 8) || pdu.length !== 6 + byteCount)
        throw invalid('byte count does not match quantity');
      const bits = Array.from({ length: count }, (_, i) => ((pdu[6 + (i >> 3)] ?? 0) >> (i & 7)) & 1);
      device.write(1, address, bits);
      return Buffer.from(pdu.subarray(0, 5));
    }
    case 16: {
      const [address, count] = header(pdu, 6);
      quantity(count, 123);
      const byteCount = pdu[5] ?? 0;
      if (byteCount !== count * 2 || pdu.length !== 6 + byteCount)
        throw invalid('byte count does not match quantity');
      const words = Array.from({ length: count }, (_, i) => pdu.readUInt16BE(6 + i * 2));
      device.write(3, address, words);
      return Buffer.from(pdu.subarray(0, 5));
    }
    default:
      throw new ModbusException(ExceptionCode.IllegalFunction, `function ${fc} is not supported`);
  }
}

function header(pdu: Buffer, minLength: number): [number, number] {
  if (pdu.length < minLength) throw invalid(`request of ${pdu.length} bytes is too short`);
  return [pdu.readUInt16BE(1), pdu.readUInt16BE(3)];
}

function quantity(count: number, max: number): void {
  if (count < 1 || count > max) throw invalid(`quantity ${count} outside 1–${max}`);
}

function invalid(message: string): ModbusException {
  return new ModbusException(ExceptionCode.IllegalDataValue, message);
}

function packBits(fc: number, bits: readonly number[]): Buffer {
  const bytes = Math.ceil(bits.length / 8);
  const out = Buffer.alloc(2 + bytes);
  out[0] = fc;
  out[1] = bytes;
  bits.forEach((bit, i) => {
    if (bit) out[2 + (i >> 3)] = (out[2 + (i >> 3)] ?? 0) | (1 << (i & 7));
  });
  return out;
}
