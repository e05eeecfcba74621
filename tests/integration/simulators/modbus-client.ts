import { type Profile, type RegisterDef, decodeRegister, wordsOf } from '@xaso/device-profiles';
import ModbusSerial from 'modbus-serial';

/** modbus-serial is CommonJS with `export default` typings: under NodeNext the class sits on `.default`. */
export const ModbusRTU = ModbusSerial.default;
export type ModbusRTU = InstanceType<typeof ModbusRTU>;

/** Reads one register with a real modbus-serial master, using the function code the profile names. */
export async function readRegister(client: ModbusRTU, reg: RegisterDef): Promise<number[]> {
  const n = wordsOf(reg);
  switch (reg.function) {
    case 1:
      return (await client.readCoils(reg.address, n)).data.slice(0, n).map(Number);
    case 2:
      return (await client.readDiscreteInputs(reg.address, n)).data.slice(0, n).map(Number);
    case 3:
      return (await client.readHoldingRegisters(reg.address, n)).data;
    case 4:
      return (await client.readInputRegisters(reg.address, n)).data;
  }
}

/** Every register of a profile, decoded as a collector would, by register name. */
export async function readAll(client: ModbusRTU, profile: Profile): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const reg of profile.registers)
    out[reg.name] = decodeRegister(reg, await readRegister(client, reg)).value;
  return out;
}

/** Names whose read value differs from the expected one beyond float32 precision (~7 significant digits). */
export function mismatches(
  actual: Record<string, number | null>,
  expected: Record<string, number>,
): string[] {
  return Object.entries(expected)
    .filter(([name, value]) => {
      const got = actual[name];
      return (
        got === null || got === undefined || Math.abs(got - value) > Math.max(1e-6, Math.abs(value) * 1e-6)
      );
    })
    .map(([name, value]) => `${name}: read ${actual[name]}, simulator serves ${value}`);
}
