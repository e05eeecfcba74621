import { join } from 'node:path';
import { getProfile } from '@xaso/device-profiles';
import type { DeviceEvent } from '@xaso/device-profiles/contract';
import { ModbusTcpServer, RtuLine, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto, tempDir } from '../../harness/index.js';
import { Capture } from './capture.js';
import { GatewayProcess } from './gateway-process.js';
import { ReplugablePty } from './socat-cable.js';
import { TcpCable } from './tcp-cable.js';

const pm = getProfile('pm-sensor-rs485');
const ID = 'gw-unplug';
type Fault = Extract<DeviceEvent['event'], { kind: 'fault' }>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('gateway process: a serial adapter killed mid-poll (EIO) and a TCP link reset', () => {
  let mosquitto: ServerHandle;
  let capture: Capture;
  let pty: ReplugablePty;
  let line: RtuLine;
  let tcp: ModbusTcpServer;
  let cable: TcpCable;
  let gateway: GatewayProcess;
  const onSerial = new SimulatedDevice({ profile: pm, unitId: 1, seed: 1 });

  const faults = (source: string): Fault[] =>
    capture.events.map((e) => e.event).filter((e): e is Fault => e.kind === 'fault' && e.source === source);
  const count = (source: string) => capture.readingsOf(source).length;
  const grows = (source: string, by: number) => {
    const from = count(source);
    return capture.until(`${source} readings to grow by ${by}`, () => count(source) >= from + by);
  };

  beforeAll(async () => {
    [mosquitto, pty] = await Promise.all([startMosquitto(), ReplugablePty.create()]);
    line = new RtuLine({ path: pty.b, devices: [onSerial] });
    await line.open();
    tcp = new ModbusTcpServer({ devices: [new SimulatedDevice({ profile: pm, unitId: 1, seed: 2 })] });
    await tcp.start();
    cable = new TcpCable({ host: '127.0.0.1', port: tcp.port });
    await cable.start();
    capture = await Capture.start(mosquitto.url, ID);
    const dir = await tempDir('xs-gw-unplug-');
    gateway = new GatewayProcess(join(dir, 'gateway.json'), join(dir, 'gateway.log'));
    gateway.writeConfig({
      deviceId: ID,
      mqtt: { url: mosquitto.url, reconnectPeriodMs: 200 },
      dataDir: join(dir, 'data'),
      devices: [
        {
          name: 'serial',
          profile: pm.name,
          link: { type: 'rtu', path: pty.a },
          unitId: 1,
          pollIntervalMs: 100,
        },
        {
          name: 'tcp',
          profile: pm.name,
          link: { type: 'tcp', host: '127.0.0.1', port: cable.port },
          unitId: 1,
          pollIntervalMs: 100,
        },
      ],
      polling: { timeoutMs: 300, backoffBaseMs: 100, backoffMaxMs: 800, gapTolerance: 4 },
      statusIntervalS: 1,
    });
    gateway.start();
    await capture.until('readings from both buses', () => count('serial') > 4 && count('tcp') > 4, 20_000);
  }, 40_000);

  afterAll(async () => {
    await gateway?.kill('SIGKILL');
    await capture?.stop();
    await line?.close();
    await pty?.unplug();
    await cable?.stop();
    await tcp?.stop();
    await mosquitto?.stop();
  });

  it('reports the pulled adapter disconnected and keeps reporting the TCP device, without crashing', async () => {
    // SIGKILL socat while requests are on the wire: the gateway's port gets EIO, the simulator's too.
    await pty.unplug();
    await capture.until('serial disconnected', () =>
      faults('serial').some((f) => f.code === 'disconnected' && !f.cleared),
    );
    await grows('tcp', 10);
    expect(alive(gateway.pid), gateway.tail()).toBe(true);
    expect(faults('tcp')).toEqual([]);
  });

  it('reopens the adapter when it comes back at the same path, and readings resume', async () => {
    await line.close();
    await pty.plug();
    line = new RtuLine({ path: pty.b, devices: [onSerial] });
    await line.open();
    await capture.until('serial fault cleared', () => faults('serial').some((f) => f.cleared), 20_000);
    await grows('serial', 5);
  });

  it('survives a TCP link reset (ECONNRESET) and reconnects when the peer is back', async () => {
    await cable.cut();
    await capture.until('tcp disconnected', () =>
      faults('tcp').some((f) => f.code === 'disconnected' && !f.cleared),
    );
    await grows('serial', 5);
    expect(alive(gateway.pid), gateway.tail()).toBe(true);
    await cable.restore();
    await capture.until('tcp fault cleared', () => faults('tcp').some((f) => f.cleared), 20_000);
    await grows('tcp', 5);
  });

  it('stops cleanly on SIGTERM: exit code 0 after saying goodbye', async () => {
    const how = await gateway.kill('SIGTERM');
    expect(how, gateway.tail()).toBe('code 0');
    await capture.until('shutdown event', () =>
      capture.events.some((e) => e.event.kind === 'lifecycle' && e.event.what === 'shutdown'),
    );
  });
});
