import { decodeRegister, getProfile, registerByName } from '@xaso/device-profiles';
import { RtuLine, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PtyPair, startPtyPair } from '../../harness/index.js';
import { ModbusRTU, mismatches, readAll } from './modbus-client.js';

const T0 = Date.UTC(2026, 2, 10, 11, 0, 0);

describe('simulator over Modbus RTU on a socat pty pair, read by a real modbus-serial master', () => {
  let now = T0;
  const pm = new SimulatedDevice({
    profile: getProfile('pm-sensor-rs485'),
    unitId: 1,
    seed: 8,
    clock: () => now,
  });
  const water = new SimulatedDevice({
    profile: getProfile('water-multiprobe'),
    unitId: 2,
    seed: 8,
    clock: () => now,
  });
  const speaker = new SimulatedDevice({
    profile: getProfile('speaker-controller'),
    unitId: 5,
    seed: 8,
    clock: () => now,
  });
  let pty: PtyPair;
  let line: RtuLine;
  const client = new ModbusRTU();

  beforeAll(async () => {
    pty = await startPtyPair();
    line = new RtuLine({ path: pty.b, devices: [pm, water, speaker], baudRate: 9600 });
    await line.open();
    await client.connectRTUBuffered(pty.a, { baudRate: 9600 });
    client.setTimeout(300);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await line?.close();
    await pty?.stop();
  });

  it('serves three devices with different unit ids on one line, each matching its snapshot', async () => {
    for (const device of [pm, water, speaker]) {
      client.setID(device.unitId);
      const read = await readAll(client, device.profile);
      expect(mismatches(read, device.snapshot()), device.profile.name).toEqual([]);
    }
  });

  it('stays silent for unit ids that are not on the line', async () => {
    client.setID(9);
    await expect(client.readHoldingRegisters(0, 2)).rejects.toThrow(/Timed out/);
    client.setID(1);
    await expect(client.readHoldingRegisters(0, 2)).resolves.toBeDefined();
  });

  it('answers exceptions for unmapped addresses and exception faults', async () => {
    client.setID(2);
    await expect(client.readHoldingRegisters(16, 2)).rejects.toMatchObject({ modbusCode: 2 });
    water.setFaults([{ kind: 'exception', code: 6, probability: 1 }]);
    await expect(client.readHoldingRegisters(0, 2)).rejects.toMatchObject({ modbusCode: 6 });
    water.clearFaults();
    const ph = decodeRegister(
      registerByName(water.profile, 'ph'),
      (await client.readHoldingRegisters(2, 2)).data,
    );
    expect(ph.value).toBeCloseTo(water.snapshot().ph ?? Number.NaN, 5);
  });

  it('corrupts the CRC of replies on a crc fault, and times out on a timeout fault', async () => {
    client.setID(1);
    pm.setFaults([{ kind: 'crc', probability: 1 }]);
    await expect(client.readHoldingRegisters(0, 2)).rejects.toThrow(/CRC error/);
    pm.setFaults([{ kind: 'timeout', probability: 1 }]);
    await expect(client.readHoldingRegisters(0, 2)).rejects.toThrow(/Timed out/);
    pm.clearFaults();
    expect((await client.readHoldingRegisters(0, 2)).data).toHaveLength(2);
  });

  it('holds the relay coil and volume the master writes to the speaker controller', async () => {
    client.setID(5);
    await client.writeCoil(0, true);
    await client.writeRegisters(0, [64]);
    expect((await client.readCoils(0, 1)).data[0]).toBe(true);
    expect((await client.readHoldingRegisters(0, 1)).data).toEqual([64]);
    now += 60_000;
    expect(speaker.snapshot()).toMatchObject({ amplifier_relay: 1, volume: 64 });
    await client.writeCoil(0, false);
    expect((await client.readCoils(0, 1)).data[0]).toBe(false);
  });

  it('vanishes from the line when unplugged and answers again after replug', async () => {
    client.setID(1);
    await line.unplug();
    await expect(client.readHoldingRegisters(0, 2)).rejects.toThrow(/Timed out/);
    await line.replug();
    expect((await client.readHoldingRegisters(0, 2)).data).toHaveLength(2);
  });
});
