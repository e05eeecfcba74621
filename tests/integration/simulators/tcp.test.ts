import { builtinProfiles, decodeRegister, getProfile, registerByName } from '@xaso/device-profiles';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModbusRTU, mismatches, readAll } from './modbus-client.js';

const T0 = Date.UTC(2026, 2, 10, 0, 30, 0);

async function connect(port: number, unitId: number, timeoutMs = 1000): Promise<ModbusRTU> {
  const client = new ModbusRTU();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(unitId);
  client.setTimeout(timeoutMs);
  return client;
}

const close = (client: ModbusRTU) => new Promise<void>((resolve) => client.close(() => resolve()));

describe('simulator over Modbus TCP, read by a real modbus-serial master', () => {
  for (const profile of builtinProfiles().values()) {
    it(`serves ${profile.name} exactly as its snapshot says`, async () => {
      const device = new SimulatedDevice({ profile, seed: 17, clock: () => T0 });
      const server = new ModbusTcpServer({ devices: [device] });
      await server.start();
      const client = await connect(server.port, device.unitId);
      try {
        const read = await readAll(client, profile);
        expect(mismatches(read, device.snapshot())).toEqual([]);
      } finally {
        await close(client);
        await server.stop();
      }
    });
  }

  describe('faults and writes', () => {
    let now = T0;
    const air = new SimulatedDevice({
      profile: getProfile('air-station-aqms'),
      unitId: 1,
      seed: 3,
      clock: () => now,
    });
    const speaker = new SimulatedDevice({
      profile: getProfile('speaker-controller'),
      unitId: 5,
      seed: 3,
      clock: () => now,
    });
    const server = new ModbusTcpServer({ devices: [air, speaker] });
    let client: ModbusRTU;

    beforeAll(async () => {
      await server.start();
      client = await connect(server.port, 1, 400);
    });
    afterAll(async () => {
      await close(client);
      await server.stop();
    });

    it('reads a whole block of floats in one request, and several unit ids share the port', async () => {
      client.setID(1);
      const block = await client.readInputRegisters(0, 18);
      const pm10 = registerByName(air.profile, 'pm10');
      expect(decodeRegister(pm10, block.data.slice(2, 4)).value).toBeCloseTo(
        air.snapshot().pm10 ?? Number.NaN,
        3,
      );
      client.setID(5);
      const mains = await client.readInputRegisters(0, 1);
      expect((mains.data[0] ?? 0) / 10).toBeCloseTo(speaker.snapshot().mains_voltage ?? Number.NaN, 5);
    });

    it('answers exception 2 for unmapped addresses and 11 for an unknown unit', async () => {
      client.setID(1);
      await expect(client.readInputRegisters(20, 2)).rejects.toMatchObject({ modbusCode: 2 });
      await expect(client.readHoldingRegisters(0, 1)).rejects.toMatchObject({ modbusCode: 2 });
      client.setID(9);
      await expect(client.readInputRegisters(0, 2)).rejects.toMatchObject({ modbusCode: 11 });
    });

    it('holds what the master writes to the speaker relay coil and volume register', async () => {
      client.setID(5);
      expect((await client.readCoils(0, 1)).data[0]).toBe(false);
      await client.writeCoil(0, true);
      await client.writeRegister(0, 42);
      expect((await client.readCoils(0, 1)).data[0]).toBe(true);
      expect((await client.readHoldingRegisters(0, 1)).data).toEqual([42]);
      const current = (await client.readInputRegisters(2, 1)).data[0] ?? 0;
      expect(current / 100).toBeGreaterThan(2);
      await client.writeRegisters(0, [55]);
      expect((await client.readHoldingRegisters(0, 1)).data).toEqual([55]);
      await expect(client.writeRegister(0, 101)).rejects.toMatchObject({ modbusCode: 3 });
      await client.writeCoils(0, [false]);
      expect((await client.readCoils(0, 1)).data[0]).toBe(false);
      expect(speaker.snapshot()).toMatchObject({ amplifier_relay: 0, volume: 55 });
    });

    it('turns an exception fault into a modbus-serial error with modbusCode', async () => {
      client.setID(1);
      air.setFaults([{ kind: 'exception', code: 4, probability: 1 }]);
      await expect(client.readInputRegisters(0, 2)).rejects.toMatchObject({ modbusCode: 4 });
      air.setFaults([{ kind: 'exception', code: 6, probability: 1 }]);
      await expect(client.readInputRegisters(0, 2)).rejects.toMatchObject({ modbusCode: 6 });
      air.clearFaults();
      await expect(client.readInputRegisters(0, 2)).resolves.toBeDefined();
    });

    it('makes the master time out on a timeout fault', async () => {
      client.setID(1);
      air.setFaults([{ kind: 'timeout', probability: 1 }]);
      const started = Date.now();
      await expect(client.readInputRegisters(0, 2)).rejects.toThrow(/Timed out/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
      air.clearFaults();
      await expect(client.readInputRegisters(0, 2)).resolves.toBeDefined();
    });

    it('cuts a garbled reply short so the master rejects it', async () => {
      client.setID(1);
      air.setFaults([{ kind: 'crc', probability: 1 }]);
      const started = Date.now();
      await expect(client.readInputRegisters(0, 4)).rejects.toThrow(/length/i);
      expect(Date.now() - started).toBeLessThan(350);
      air.clearFaults();
      await expect(client.readInputRegisters(0, 4)).resolves.toBeDefined();
    });

    it('serves -9999 for a disconnected analyser, NaN on a nan fault, and freezes when stuck', async () => {
      client.setID(1);
      air.setFaults([
        { kind: 'disconnected', channel: 'pm25' },
        { kind: 'nan', channel: 'o3' },
        { kind: 'stuck', channel: 'no2' },
      ]);
      const pm25 = decodeRegister(
        registerByName(air.profile, 'pm25'),
        (await client.readInputRegisters(0, 2)).data,
      );
      expect(pm25).toMatchObject({ raw: -9999, quality: 'sensor_fault' });
      const o3 = decodeRegister(
        registerByName(air.profile, 'o3'),
        (await client.readInputRegisters(10, 2)).data,
      );
      expect(o3.quality).toBe('nan');
      const no2Before = (await client.readInputRegisters(6, 2)).data;
      const coBefore = (await client.readInputRegisters(4, 2)).data;
      now += 30 * 60_000;
      expect((await client.readInputRegisters(6, 2)).data).toEqual(no2Before);
      expect((await client.readInputRegisters(4, 2)).data).not.toEqual(coBefore);
      air.clearFaults();
    });
  });
});
