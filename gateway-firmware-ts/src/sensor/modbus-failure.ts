import type { FaultEventSchema } from '@xaso/device-profiles/contract';
import type { z } from 'zod';

export type FaultCode = Extract<
  z.infer<typeof FaultEventSchema>['code'],
  'timeout' | 'crc' | 'exception' | 'disconnected' | 'decode'
>;

/** A failed Modbus request, with the reason in the contract's terms. */
export class ModbusFailure extends Error {
  constructor(
    readonly code: FaultCode,
    message: string,
    readonly exceptionCode?: number,
  ) {
    super(message);
    this.name = 'ModbusFailure';
  }
}

interface ModbusSerialError {
  message?: unknown;
  errno?: unknown;
  code?: unknown;
  modbusCode?: unknown;
}

/** Maps what modbus-serial and serialport throw onto timeout | crc | exception | disconnected. */
export function classifyFailure(err: unknown): ModbusFailure {
  if (err instanceof ModbusFailure) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ModbusSerialError;
  const message =
    typeof e.message === 'string' && e.message !== '' ? e.message : String(e.errno ?? 'unknown error');
  if (typeof e.modbusCode === 'number') return new ModbusFailure('exception', message, e.modbusCode);
  if (e.errno === 'ETIMEDOUT' || /timed out/i.test(message)) return new ModbusFailure('timeout', message);
  if (/CRC|length error|Unexpected data/i.test(message)) return new ModbusFailure('crc', message);
  return new ModbusFailure('disconnected', message);
}
