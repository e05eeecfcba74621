import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type RegisterDef,
  decodeRegister,
  encodeRegister,
  getProfile,
  sensorRegisters,
} from '@xaso/device-profiles';
import type { Gateway } from '@xaso/gateway-firmware-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ServerHandle,
  ensurePackage,
  findBinary,
  freePort,
  killChild,
  spawnReady,
  startMosquitto,
  tcpOpen,
  tempDir,
} from '../../harness/index.js';
import { Capture } from './capture.js';
import { gatewayConfig, startGateway } from './gateway-fixture.js';

const profile = getProfile('water-multiprobe');
const KEY: Record<RegisterDef['function'], string> = { 1: 'co', 2: 'di', 3: 'hr', 4: 'ir' };

/** A value inside each register's range, distinct per register. */
function valueFor(reg: RegisterDef, i: number): number {
  const [lo, hi] = reg.range ?? [0, 100];
  return lo + ((hi - lo) * (i + 1)) / 16;
}

describe("gateway against a Modbus slave that is not ours (Debian's python3-pymodbus)", () => {
  let mosquitto: ServerHandle;
  let slave: ChildProcess;
  let gateway: Gateway;
  let capture: Capture;
  const expected = new Map<string, number>();

  beforeAll(async () => {
    // Package directories, not files: the harness checks its paths for execute (search) permission.
    await ensurePackage('python3-pymodbus', '/usr/lib/python3/dist-packages/pymodbus');
    // pymodbus.server imports pyserial and serial_asyncio even for TCP; Debian only recommends them.
    await ensurePackage('python3-serial', '/usr/lib/python3/dist-packages/serial');
    await ensurePackage('python3-serial-asyncio', '/usr/lib/python3/dist-packages/serial_asyncio');
    const python = await findBinary('/usr/bin/python3');
    if (python === null) throw new Error('/usr/bin/python3 is missing (Debian package python3)');
    const dir = await tempDir('xs-gw-pymodbus-');
    const map: Record<string, Record<string, number>> = {};
    sensorRegisters(profile).forEach((reg, i) => {
      const value = valueFor(reg, i);
      const words = encodeRegister(reg, value);
      const table = map[KEY[reg.function]] ?? {};
      map[KEY[reg.function]] = table;
      words.forEach((w, k) => {
        table[String(reg.address + k)] = w;
      });
      // What the slave holds, after the register's own resolution (e.g. 0.01 V steps).
      expected.set(reg.name, decodeRegister(reg, words).value ?? Number.NaN);
    });
    await writeFile(join(dir, 'map.json'), JSON.stringify(map));
    const port = await freePort();
    mosquitto = await startMosquitto();
    slave = await spawnReady({
      name: 'pymodbus slave',
      command: python,
      args: [join(import.meta.dirname, 'fixtures/pymodbus_slave.py'), join(dir, 'map.json'), String(port)],
      cwd: dir,
      logFile: join(dir, 'pymodbus.log'),
      ready: () => tcpOpen(port),
      readyWhat: `pymodbus listening on ${port}`,
    });
    capture = await Capture.start(mosquitto.url, 'gw-pymodbus');
    gateway = await startGateway(
      await gatewayConfig({
        deviceId: 'gw-pymodbus',
        mqttUrl: mosquitto.url,
        devices: [
          {
            name: 'river',
            profile: profile.name,
            link: { type: 'tcp', host: '127.0.0.1', port },
            unitId: 2,
            pollIntervalMs: 300,
          },
        ],
      }),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await capture?.stop();
    if (slave) await killChild(slave, 'SIGTERM');
    await mosquitto?.stop();
  });

  it('publishes every channel with the value the pymodbus slave holds', async () => {
    await capture.until(
      'readings from pymodbus',
      () => capture.readingsOf('river').length >= sensorRegisters(profile).length,
    );
    const readings = capture.readingsOf('river');
    for (const reg of sensorRegisters(profile)) {
      const reading = readings.find((r) => r.channel === (reg.channel ?? reg.name));
      expect(reading?.value, reg.name).toBe(expected.get(reg.name));
      expect(reading?.quality, reg.name).toBe('good');
    }
  });
});
