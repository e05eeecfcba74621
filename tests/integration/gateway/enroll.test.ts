import { execFile } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { generateSigningKeys } from '@xaso/device-profiles/signing';
import { parseLocalConfig } from '@xaso/gateway-firmware-ts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentRoutes } from '../../../broker/src/enrollment/routes.js';
import { Registry } from '../../../broker/src/registry/registry.js';
import { tempDir } from '../../harness/index.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const MQTT_URL = 'mqtt://broker.tayninh.example:1883';

describe('gateway enrollment CLI against the broker enrollment endpoint', () => {
  const keys = generateSigningKeys();
  let registry: Registry;
  let close: () => Promise<void>;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir('xs-gw-enroll-');
    registry = Registry.open(join(dir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
    registry.setSigningPublicKey(keys.publicKeyPem);
    registry.createDevice({ id: 'gw-river-01', role: 'sensor-gateway', groups: ['xa-an-binh'] });
    const server = serve({
      fetch: enrollmentRoutes({ registry, mqttUrl: MQTT_URL, logger: pino({ level: 'silent' }) }).fetch,
      hostname: '127.0.0.1',
      port: 0,
    });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });

  afterAll(async () => {
    await close?.();
    registry?.close();
  });

  const enroll = (code: string, config: string) =>
    run(
      process.execPath,
      [
        '--import',
        'tsx',
        'gateway-firmware-ts/src/cli.ts',
        'enroll',
        '--url',
        base,
        '--device',
        'gw-river-01',
        '--code',
        code,
        '--config',
        config,
      ],
      { cwd: ROOT },
    ).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({
        code: err.code,
        out: err.stdout + err.stderr,
      }),
    );

  it('writes working credentials and the signing key into the config file, mode 0600, keeping the rest', async () => {
    const file = join(dir, 'gateway.json');
    const devices = [
      { name: 'river', profile: 'water-multiprobe', link: { type: 'rtu', path: '/dev/ttyUSB0' }, unitId: 2 },
    ];
    await writeFile(
      file,
      JSON.stringify({ deviceId: 'gw-river-01', mqtt: { url: 'mqtt://old:1883' }, dataDir: dir, devices }),
    );
    const { code } = registry.issueEnrollmentCode('gw-river-01');
    const result = await enroll(code, file);
    expect(result.code, result.out).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const config = parseLocalConfig(JSON.parse(await readFile(file, 'utf8')), file);
    expect(config.signingPublicKeyPem).toBe(keys.publicKeyPem);
    expect(config.mqtt.url).toBe(MQTT_URL);
    expect(config.devices).toHaveLength(1);
    expect(await registry.verify(config.mqtt.username ?? '', config.mqtt.password ?? '')).toMatchObject({
      kind: 'device',
      id: 'gw-river-01',
    });
  });

  it('fails with a clear message when the code is used a second time, leaving the file alone', async () => {
    const file = join(dir, 'again.json');
    const { code } = registry.issueEnrollmentCode('gw-river-01');
    expect((await enroll(code, file)).code).toBe(0);
    const before = await readFile(file, 'utf8');
    const second = await enroll(code, file);
    expect(second.code).not.toBe(0);
    expect(second.out).toMatch(/already-used/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
