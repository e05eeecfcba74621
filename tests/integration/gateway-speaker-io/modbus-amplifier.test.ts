import { getProfile } from '@xaso/device-profiles';
import type { AttachedDevice } from '@xaso/device-profiles/contract';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BusPool, planReads } from '../../../gateway-firmware-ts/src/sensor/index.js';
import { ModbusAmplifier, NullAmplifier } from '../../../gateway-firmware-ts/src/speaker/io/index.js';

const log = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

describe('Modbus amplifier against the speaker-controller simulator', () => {
  const board = new SimulatedDevice({
    profile: getProfile('speaker-controller'),
    unitId: 5,
    seed: 4,
    clock: () => T0,
  });
  const station = new SimulatedDevice({
    profile: getProfile('pm-sensor-rs485'),
    unitId: 9,
    seed: 4,
    clock: () => T0,
  });
  const server = new ModbusTcpServer({ devices: [board, station] });
  const pool = new BusPool();
  let device: AttachedDevice;
  let amplifier: ModbusAmplifier;
  const busOptions = () => ({
    link: { type: 'tcp' as const, host: '127.0.0.1', port: server.port },
    serial: { baudRate: 9600, parity: 'none' as const, dataBits: 8 as const, stopBits: 1 as const },
    reopenBaseMs: 50,
    reopenMaxMs: 200,
  });

  beforeAll(async () => {
    await server.start();
    device = {
      name: 'loa-board',
      profile: 'speaker-controller',
      link: { type: 'tcp', host: '127.0.0.1', port: server.port },
      unitId: 5,
    };
    amplifier = new ModbusAmplifier({ device, bus: pool.acquire(busOptions(), log), timeoutMs: 300 }, log);
  });
  afterAll(async () => {
    await amplifier.stop();
    await server.stop();
  });
  beforeEach(() => {
    board.clearFaults();
    board.release('door_open');
    board.release('amplifier_fault');
  });

  it('switches the relay coil (FC5) and reads the board health', async () => {
    await amplifier.setPower(true);
    expect(board.snapshot().amplifier_relay).toBe(1);
    await amplifier.readHealth();
    const on = amplifier.health();
    expect(on).toMatchObject({ powered: true, fault: false, doorOpen: false });
    expect(on.currentA).toBeGreaterThan(2);
    expect(on.mainsV).toBeGreaterThan(200);
    expect(on.mainsV).toBeLessThan(240);
    expect(on.batteryV).toBeCloseTo(13.2, 0);
    expect(on.temperatureC).toBeGreaterThan(20);
    expect(on.error).toBeUndefined();

    await amplifier.setPower(false);
    expect(board.snapshot().amplifier_relay).toBe(0);
    await amplifier.readHealth();
    expect(amplifier.health().powered).toBe(false);
    expect(amplifier.health().currentA).toBeLessThan(0.5);
  });

  it('writes the volume register (FC6) encoded by the profile, and refuses out-of-range volumes', async () => {
    await amplifier.setVolume(40);
    expect(board.snapshot().volume).toBe(40);
    await amplifier.setVolume(0);
    expect(board.snapshot().volume).toBe(0);
    await expect(amplifier.setVolume(150)).rejects.toThrow(/volume must be an integer in 0–100, got 150/);
    await expect(amplifier.setVolume(33.5)).rejects.toThrow(RangeError);
    expect(board.snapshot().volume).toBe(0);
  });

  it('reports door and fault lines, polling by itself once started', async () => {
    const bus = pool.acquire(busOptions(), log);
    const polled = new ModbusAmplifier({ device, bus, healthIntervalMs: 50 }, log);
    polled.start();
    board.set('door_open', 1);
    board.set('amplifier_fault', 1);
    await waitFor(() => polled.health().doorOpen === true && polled.health().fault === true);
    board.release('door_open');
    await waitFor(() => polled.health().doorOpen === false);
    await polled.stop();
    await pool.release(bus);
  });

  it('rejects with a clear error when the board does not answer, and recovers', async () => {
    board.setFaults([{ kind: 'timeout', probability: 1 }]);
    await expect(amplifier.setPower(true)).rejects.toThrow(/controller board did not take amplifier on/);
    expect(amplifier.health().error).toMatch(/did not take amplifier on/);
    await amplifier.readHealth();
    expect(amplifier.health().error).toMatch(/controller board/);
    board.clearFaults();
    await amplifier.setPower(true);
    expect(amplifier.health().error).toBeUndefined();
    expect(board.snapshot().amplifier_relay).toBe(1);
  });

  it('shares the pooled bus with the sensor poller: reads and writes queue on one connection', async () => {
    const sensorBus = pool.acquire(busOptions(), log);
    const ampBus = pool.acquire(busOptions(), log);
    expect(sensorBus).toBe(ampBus);
    const before = sensorBus.requestCount;
    const pm = planReads(getProfile('pm-sensor-rs485').registers, { gapTolerance: 4 });
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      for (const read of pm) work.push(sensorBus.read(9, 300, read));
      work.push(amplifier.setVolume(i * 10));
    }
    await Promise.all(work);
    expect(board.snapshot().volume).toBe(90);
    expect(sensorBus.requestCount - before).toBe(10 * (pm.length + 1));
    await pool.release(sensorBus);
    await pool.release(ampBus);
  });

  it('NullAmplifier keeps state only', async () => {
    const none = new NullAmplifier();
    await none.setPower(true);
    await none.setVolume(55);
    expect(none.health()).toEqual({ powered: true });
    expect(none.volume).toBe(55);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
