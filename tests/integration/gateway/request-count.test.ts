import { builtinProfiles, sensorRegisters, wordsOf } from '@xaso/device-profiles';
import { planReads } from '@xaso/gateway-firmware-ts';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import ModbusSerial from 'modbus-serial';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto } from '../../harness/index.js';
import { Capture } from './capture.js';
import { gatewayConfig, startGateway } from './gateway-fixture.js';
import { ModbusTcpCounter } from './modbus-tcp-counter.js';

const profiles = [...builtinProfiles().values()].filter((p) => sensorRegisters(p).length > 0);
const GAP = 4;

describe('merged reads: requests on the wire per poll cycle, gateway vs a naive one-request-per-register poller', () => {
  let mosquitto: ServerHandle;
  let tcp: ModbusTcpServer;
  const devices = profiles.map((profile, i) => new SimulatedDevice({ profile, unitId: i + 1, seed: i }));
  const result: Record<string, { gateway: number; naive: number; registers: number }> = {};

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    tcp = new ModbusTcpServer({ devices });
    await tcp.start();
  });
  afterAll(async () => {
    await tcp?.stop();
    await mosquitto?.stop();
    process.stdout.write(`[gateway requests per cycle] ${JSON.stringify(result)}\n`);
  });

  it('sends exactly the planned number of requests per cycle, fewer than one per register', async () => {
    const counter = new ModbusTcpCounter({ host: '127.0.0.1', port: tcp.port });
    const port = await counter.start();
    const capture = await Capture.start(mosquitto.url, 'gw-count');
    const gateway = await startGateway(
      await gatewayConfig({
        deviceId: 'gw-count',
        mqttUrl: mosquitto.url,
        devices: devices.map((d) => ({
          name: d.profile.name,
          profile: d.profile.name,
          link: { type: 'tcp' as const, host: '127.0.0.1', port },
          unitId: d.unitId,
          pollIntervalMs: 250,
        })),
        extra: { polling: { gapTolerance: GAP, timeoutMs: 500 } },
      }),
    );
    await capture.until('five cycles of every device', () =>
      devices.every(
        (d) => capture.batches.filter((b) => b.readings[0]?.source === d.profile.name).length >= 5,
      ),
    );
    await gateway.stop();
    await capture.stop();
    await counter.stop();
    for (const d of devices) {
      const cycles = capture.batches.filter((b) => b.readings[0]?.source === d.profile.name).length;
      const planned = planReads(sensorRegisters(d.profile), { gapTolerance: GAP }).length;
      const sent = counter.requests.get(d.unitId) ?? 0;
      // A poll cut short by stop() may have sent part of its requests without publishing a batch.
      expect(sent, d.profile.name).toBeGreaterThanOrEqual(cycles * planned);
      expect(sent, d.profile.name).toBeLessThan((cycles + 1) * planned);
      result[d.profile.name] = { gateway: planned, naive: 0, registers: sensorRegisters(d.profile).length };
    }
  });

  it('a naive poller needs one request per register for the same values', async () => {
    const counter = new ModbusTcpCounter({ host: '127.0.0.1', port: tcp.port });
    const port = await counter.start();
    const client = new ModbusSerial.default();
    await client.connectTCP('127.0.0.1', { port });
    client.setTimeout(500);
    for (const d of devices) {
      client.setID(d.unitId);
      for (const reg of sensorRegisters(d.profile)) {
        const n = wordsOf(reg);
        if (reg.function === 1) await client.readCoils(reg.address, n);
        else if (reg.function === 2) await client.readDiscreteInputs(reg.address, n);
        else if (reg.function === 3) await client.readHoldingRegisters(reg.address, n);
        else await client.readInputRegisters(reg.address, n);
      }
      const entry = result[d.profile.name];
      const naive = counter.requests.get(d.unitId) ?? 0;
      if (entry) entry.naive = naive;
      expect(naive).toBe(sensorRegisters(d.profile).length);
      expect(entry?.gateway ?? Number.POSITIVE_INFINITY).toBeLessThan(naive);
    }
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await counter.stop();
  });

  it('falls back to exact reads when a read through a hole hits an address the instrument does not have', async () => {
    const air = devices.find((d) => d.profile.name === 'air-station-aqms');
    if (!air) throw new Error('air-station-aqms profile missing');
    const regs = sensorRegisters(air.profile);
    // The station has no registers 18–29: a tolerance of 20 merges across them and the simulator refuses.
    expect(planReads(regs, { gapTolerance: 20 })).toHaveLength(1);
    const counter = new ModbusTcpCounter({ host: '127.0.0.1', port: tcp.port });
    const port = await counter.start();
    const capture = await Capture.start(mosquitto.url, 'gw-holes');
    const gateway = await startGateway(
      await gatewayConfig({
        deviceId: 'gw-holes',
        mqttUrl: mosquitto.url,
        devices: [
          {
            name: 'aqms',
            profile: air.profile.name,
            link: { type: 'tcp', host: '127.0.0.1', port },
            unitId: air.unitId,
            pollIntervalMs: 200,
          },
        ],
        extra: { polling: { gapTolerance: 20, timeoutMs: 500, backoffBaseMs: 100 } },
      }),
    );
    await capture.until(
      'three full cycles',
      () => capture.batches.filter((b) => b.readings.length === regs.length).length >= 3,
    );
    await gateway.stop();
    await capture.stop();
    await counter.stop();
    const cycles = capture.batches.filter((b) => b.readings.length === regs.length).length;
    const exact = planReads(regs, { gapTolerance: 0 }).length;
    const sent = counter.requests.get(air.unitId) ?? 0;
    // One refused merged read, then the exact plan every cycle (a cycle cut short by stop() may add a part).
    expect(sent).toBeGreaterThanOrEqual(1 + cycles * exact);
    expect(sent).toBeLessThan(1 + (cycles + 1) * exact);
    expect(capture.events.filter((e) => e.event.kind === 'fault')).toEqual([]);
  });
});
