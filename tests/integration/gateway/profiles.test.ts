import { type Profile, builtinProfiles, channelOf, sensorRegisters } from '@xaso/device-profiles';
import type { AttachedDevice } from '@xaso/device-profiles/contract';
import type { Gateway } from '@xaso/gateway-firmware-ts';
import { ModbusTcpServer, RtuLine, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PtyPair, type ServerHandle, startMosquitto, startPtyPair } from '../../harness/index.js';
import { Capture } from './capture.js';
import { gatewayConfig, startGateway } from './gateway-fixture.js';

// A pinned clock: the simulator serves the same values all run, so what arrives must equal its snapshot.
const T0 = Date.UTC(2026, 2, 10, 4, 30, 0);
const profiles: Profile[] = [...builtinProfiles().values()].filter((p) => sensorRegisters(p).length > 0);

function simulate(): SimulatedDevice[] {
  return profiles.map(
    (profile, i) => new SimulatedDevice({ profile, unitId: i + 1, seed: 11 + i, clock: () => T0 }),
  );
}

/** Compares every sensor channel of one source with the simulator's snapshot. */
function mismatches(capture: Capture, source: string, device: SimulatedDevice): string[] {
  const snapshot = device.snapshot();
  const out: string[] = [];
  const readings = capture.readingsOf(source);
  for (const reg of sensorRegisters(device.profile)) {
    const reading = readings.find((r) => r.channel === channelOf(reg));
    const expected = snapshot[reg.name];
    if (!reading) out.push(`${source}/${reg.name}: no reading`);
    else if (reading.value === null ? Number.isFinite(expected) : reading.value !== expected) {
      out.push(
        `${source}/${reg.name}: got ${reading.value} (${reading.quality}), simulator served ${expected}`,
      );
    }
  }
  return out;
}

describe('gateway polls every shipped profile over Modbus TCP and RTU and publishes what the instruments served', () => {
  let mosquitto: ServerHandle;
  let pty: PtyPair;
  let tcp: ModbusTcpServer;
  let line: RtuLine;
  let capture: Capture;
  let gateway: Gateway;
  const tcpDevices = simulate();
  const rtuDevices = simulate();

  beforeAll(async () => {
    [mosquitto, pty] = await Promise.all([startMosquitto(), startPtyPair()]);
    tcp = new ModbusTcpServer({ devices: tcpDevices });
    line = new RtuLine({ path: pty.b, devices: rtuDevices, baudRate: 19200 });
    await Promise.all([tcp.start(), line.open()]);
    capture = await Capture.start(mosquitto.url, 'gw-profiles');
    const devices: AttachedDevice[] = [
      ...tcpDevices.map((d) => ({
        name: `tcp-${d.profile.name}`,
        profile: d.profile.name,
        link: { type: 'tcp' as const, host: '127.0.0.1', port: tcp.port },
        unitId: d.unitId,
        pollIntervalMs: 200,
      })),
      ...rtuDevices.map((d) => ({
        name: `rtu-${d.profile.name}`,
        profile: d.profile.name,
        link: { type: 'rtu' as const, path: pty.a, baudRate: 19200 },
        unitId: d.unitId,
        pollIntervalMs: 500,
      })),
    ];
    gateway = await startGateway(
      await gatewayConfig({ deviceId: 'gw-profiles', mqttUrl: mosquitto.url, devices }),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await capture?.stop();
    await tcp?.stop();
    await line?.close();
    await Promise.all([mosquitto?.stop(), pty?.stop()]);
  });

  it('covers at least the three sensor profiles', () => {
    expect(profiles.map((p) => p.name)).toEqual(
      expect.arrayContaining(['air-station-aqms', 'pm-sensor-rs485', 'water-multiprobe']),
    );
  });

  it('publishes, over Modbus TCP, exactly the values the simulators served', async () => {
    await capture.until('a batch from every TCP source', () =>
      tcpDevices.every((d) => capture.readingsOf(`tcp-${d.profile.name}`).length > 0),
    );
    for (const d of tcpDevices) expect(mismatches(capture, `tcp-${d.profile.name}`, d)).toEqual([]);
  });

  it('publishes, over Modbus RTU on a pty, exactly the values the simulators served', async () => {
    await capture.until('a batch from every RTU source', () =>
      rtuDevices.every((d) => capture.readingsOf(`rtu-${d.profile.name}`).length > 0),
    );
    for (const d of rtuDevices) expect(mismatches(capture, `rtu-${d.profile.name}`, d)).toEqual([]);
  });

  it('numbers batches with strictly increasing seq and stamps readings at the gateway', () => {
    const seqs = capture.batches.map((b) => b.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    for (const batch of capture.batches)
      for (const r of batch.readings) expect(Math.abs(r.ts - Date.now())).toBeLessThan(60_000);
  });

  it('flags an unchanging value as stuck once the profile says so', async () => {
    const stuckReg = profiles
      .flatMap((p) => sensorRegisters(p).map((r) => ({ p, r })))
      .filter(({ r }) => r.stuckAfter !== undefined)
      .sort((a, b) => (a.r.stuckAfter ?? 0) - (b.r.stuckAfter ?? 0))[0];
    expect(stuckReg, 'some profile declares stuckAfter').toBeDefined();
    const { p, r } = stuckReg as { p: Profile; r: (typeof p.registers)[number] };
    await capture.until(`${r.name} flagged stuck`, () =>
      capture.readingsOf(`tcp-${p.name}`).some((x) => x.channel === channelOf(r) && x.quality === 'stuck'),
    );
  });

  it('publishes a retained online status with per-source health and port states', async () => {
    await capture.until('a status with sources', () =>
      capture.statuses.some((s) => Object.keys(s.sources ?? {}).length === 2 * profiles.length),
    );
    const status = capture.statuses.filter((s) => s.sources).at(-1);
    expect(status?.state).toBe('online');
    expect(status?.firmware).toMatch(/^\d+\.\d+\.\d+/);
    expect(status?.ports?.[`rtu:${pty.a}`]).toBe('open');
    expect(status?.ports?.[`tcp:127.0.0.1:${tcp.port}`]).toBe('open');
    expect(status?.freeDiskBytes).toBeGreaterThan(0);
  });
});
