import { getProfile } from '@xaso/device-profiles';
import type { AttachedDevice, DeviceEvent } from '@xaso/device-profiles/contract';
import type { Gateway } from '@xaso/gateway-firmware-ts';
import { ModbusTcpServer, RtuLine, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto } from '../../harness/index.js';
import { Capture } from './capture.js';
import { gatewayConfig, startGateway } from './gateway-fixture.js';
import { ReplugablePty } from './socat-cable.js';

const pm = getProfile('pm-sensor-rs485');
const sim = (unitId: number) => new SimulatedDevice({ profile: pm, unitId, seed: unitId });

type Fault = Extract<DeviceEvent['event'], { kind: 'fault' }>;

describe('gateway under Modbus faults: reported once, retried, other devices unaffected', () => {
  let mosquitto: ServerHandle;
  let capture: Capture;
  let gateway: Gateway;
  let tcp: ModbusTcpServer;
  let pty: ReplugablePty;
  let line: RtuLine;
  const healthy = sim(1);
  const refusing = sim(2);
  const silent = sim(3);
  const garbling = sim(4);
  const onSerial = sim(1);
  const garblingSerial = sim(2);

  const faults = (source: string): Fault[] =>
    capture.events.map((e) => e.event).filter((e): e is Fault => e.kind === 'fault' && e.source === source);
  const readingCount = (source: string) => capture.readingsOf(source).length;

  beforeAll(async () => {
    [mosquitto, pty] = await Promise.all([startMosquitto(), ReplugablePty.create()]);
    refusing.addFault({ kind: 'exception', code: 2, probability: 1 });
    silent.addFault({ kind: 'timeout', probability: 1 });
    garbling.addFault({ kind: 'crc', probability: 1 });
    garblingSerial.addFault({ kind: 'crc', probability: 1 });
    tcp = new ModbusTcpServer({ devices: [healthy, refusing, silent, garbling] });
    await tcp.start();
    line = new RtuLine({ path: pty.b, devices: [onSerial, garblingSerial] });
    await line.open();
    capture = await Capture.start(mosquitto.url, 'gw-faults');
    const tcpLink = { type: 'tcp' as const, host: '127.0.0.1', port: tcp.port };
    const rtuLink = { type: 'rtu' as const, path: pty.a };
    const devices: AttachedDevice[] = [
      { name: 'healthy', profile: pm.name, link: tcpLink, unitId: 1, pollIntervalMs: 200 },
      { name: 'refusing', profile: pm.name, link: tcpLink, unitId: 2, pollIntervalMs: 200 },
      { name: 'silent', profile: pm.name, link: tcpLink, unitId: 3, pollIntervalMs: 200 },
      { name: 'garbling', profile: pm.name, link: tcpLink, unitId: 4, pollIntervalMs: 200 },
      { name: 'serial', profile: pm.name, link: rtuLink, unitId: 1, pollIntervalMs: 200 },
      { name: 'serial-crc', profile: pm.name, link: rtuLink, unitId: 2, pollIntervalMs: 200 },
    ];
    gateway = await startGateway(
      await gatewayConfig({ deviceId: 'gw-faults', mqttUrl: mosquitto.url, devices }),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await capture?.stop();
    await tcp?.stop();
    await line?.close();
    await pty?.unplug();
    await mosquitto?.stop();
  });

  it('reports exception, timeout and CRC faults with their reason, once each', async () => {
    await capture.until('four fault events', () =>
      ['refusing', 'silent', 'garbling', 'serial-crc'].every((s) => faults(s).length > 0),
    );
    expect(faults('refusing')[0]).toMatchObject({ code: 'exception', cleared: false });
    expect(faults('refusing')[0]?.message).toMatch(/exception 2/i);
    expect(faults('silent')[0]).toMatchObject({ code: 'timeout', cleared: false });
    expect(faults('serial-crc')[0]).toMatchObject({ code: 'crc', cleared: false });
    // A Modbus TCP reply cut short is the TCP form of a garbled frame.
    expect(['crc', 'timeout']).toContain(faults('garbling')[0]?.code);
    // Polls keep failing (with back-off) but the fault is not repeated.
    await new Promise((r) => setTimeout(r, 1500));
    for (const s of ['refusing', 'silent', 'garbling', 'serial-crc']) expect(faults(s), s).toHaveLength(1);
  });

  it('keeps polling the healthy devices on both buses meanwhile', async () => {
    const before = [readingCount('healthy'), readingCount('serial')];
    await new Promise((r) => setTimeout(r, 1500));
    expect(readingCount('healthy')).toBeGreaterThan((before[0] ?? 0) + 4);
    expect(readingCount('serial')).toBeGreaterThan((before[1] ?? 0) + 4);
    expect(faults('healthy')).toEqual([]);
    expect(faults('serial')).toEqual([]);
  });

  it('shows the faults in the retained status', async () => {
    await capture.until(
      'status with faults',
      () => capture.statuses.at(-1)?.sources?.refusing?.state === 'fault',
    );
    const sources = capture.statuses.at(-1)?.sources ?? {};
    expect(sources.healthy).toMatchObject({ state: 'ok', pollSuccessRate: 1 });
    expect(sources.silent?.state).toBe('fault');
    expect(sources.silent?.lastError).toMatch(/timeout/);
  });

  it('sends a cleared fault event when a device recovers', async () => {
    refusing.clearFaults();
    await capture.until('refusing cleared', () => faults('refusing').some((f) => f.cleared));
    expect(faults('refusing').at(-1)).toMatchObject({ code: 'exception', cleared: true });
  });

  it('survives an adapter pulled out, reports it disconnected, and reopens it when it comes back', async () => {
    await line.close();
    await pty.unplug();
    await capture.until('serial disconnected', () =>
      faults('serial').some((f) => f.code === 'disconnected' && !f.cleared),
    );
    const tcpBefore = readingCount('healthy');
    await capture.until('status shows the port down', () => {
      const s = capture.statuses.at(-1);
      return s?.sources?.serial?.state === 'disconnected' && s.ports?.[`rtu:${pty.a}`] !== 'open';
    });
    // The TCP device goes on being read while the serial adapter is out (the status may come first).
    await capture.until('healthy readings while serial is down', () => readingCount('healthy') > tcpBefore);
    await pty.plug();
    line = new RtuLine({ path: pty.b, devices: [onSerial, garblingSerial] });
    await line.open();
    await capture.until('serial cleared', () => faults('serial').some((f) => f.cleared), 20_000);
    const after = readingCount('serial');
    await capture.until('serial readings again', () => readingCount('serial') > after + 2);
  });
});
