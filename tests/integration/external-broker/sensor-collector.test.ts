import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from '@xaso/broker';
import { getProfile } from '@xaso/device-profiles';
import { topics } from '@xaso/device-profiles/contract';
import { generateSigningKeys, signMessage } from '@xaso/device-profiles/signing';
import type { Gateway } from '@xaso/gateway-firmware-ts';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Collector, startCollector } from '../../../collector/src/collector.js';
import { CollectorConfigSchema } from '../../../collector/src/config/schema.js';
import { tempDir } from '../../harness/index.js';
import { until } from '../console-broadcast/wait.js';
import { Capture } from '../gateway/capture.js';
import { gatewayConfig, startGateway } from '../gateway/gateway-fixture.js';
import { type SecuredMosquitto, startSecuredMosquitto } from './secured-mosquitto.js';

const pm = getProfile('pm-sensor-rs485');
const ID = 'gw-tram-01';
const keys = generateSigningKeys();
const T0 = Date.now();

let dir: string;
let registry: Registry;
let mosquitto: SecuredMosquitto;
let tcp: ModbusTcpServer;
let capture: Capture;
let gateway: Gateway;
let collector: Collector;
const sims = [1, 2].map(
  (unitId) => new SimulatedDevice({ profile: pm, unitId, seed: unitId, clock: () => T0 }),
);
const link = () => ({ type: 'tcp' as const, host: '127.0.0.1', port: tcp.port });

beforeAll(async () => {
  dir = await tempDir('xs-ext-sensor-');
  registry = Registry.open(join(dir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
  mosquitto = await startSecuredMosquitto(registry);
  const collectorLogin = await mosquitto.service('collector');
  const consoleLogin = await mosquitto.service('console');
  const deviceLogin = await mosquitto.device(ID, 'sensor-gateway');
  collector = await startCollector(
    CollectorConfigSchema.parse({
      mqtt: { url: mosquitto.url, ...collectorLogin },
      store: { kind: 'embedded', path: join(dir, 'ts.db') },
      outbox: { path: join(dir, 'state.db') },
      metrics: { port: 0 },
      logLevel: 'silent',
    }),
  );
  await collector.ready();
  capture = await Capture.start(mosquitto.url, ID, { ...consoleLogin, clientId: 'console-checker' });
  tcp = new ModbusTcpServer({ devices: sims });
  await tcp.start();
  gateway = await startGateway(
    await gatewayConfig({
      deviceId: ID,
      mqttUrl: mosquitto.url,
      ...deviceLogin,
      signingPublicKeyPem: keys.publicKeyPem,
      devices: [{ name: 'pm-1', profile: pm.name, link: link(), unitId: 1, pollIntervalMs: 200 }],
    }),
  );
}, 40_000);

afterAll(async () => {
  await gateway?.stop();
  await capture?.stop();
  await collector?.stop();
  await tcp?.stop();
  await mosquitto?.stop();
  registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const stored = async (source: string) =>
  collector.store.latest({ measurement: 'air', fields: ['pm25', 'pm10'], where: { device: ID, source } });

describe('sensor gateway → secured Mosquitto → collector', () => {
  it("stores the instrument's values read over Modbus TCP, and the gateway's retained status is online", async () => {
    const values = await until(
      'pm-1 stored',
      async () => {
        const latest = await stored('pm-1');
        return latest.length === 2 ? latest : undefined;
      },
      15_000,
    );
    const served = sims[0]?.snapshot() ?? {};
    for (const v of values) expect(v.value).toBe(served[v.field]);
    await capture.until('online status', () => capture.statuses.some((s) => s.state === 'online'));
    expect(capture.invalid).toEqual([]);
  });

  it('applies a signed config the console retained on its config topic, and acks it', async () => {
    const config = signMessage(
      {
        v: 1,
        id: randomUUID(),
        issuedAt: Date.now(),
        expiresAt: Date.now() + 60_000,
        issuer: 'ops@test',
        deviceId: ID,
        version: 1,
        groups: [],
        devices: [1, 2].map((unitId) => ({
          name: `pm-${unitId}`,
          profile: pm.name,
          link: link(),
          unitId,
          pollIntervalMs: 200,
        })),
      },
      keys.privateKeyPem,
    );
    await capture.client.publishAsync(topics.config(ID), JSON.stringify(config), { qos: 1, retain: true });
    await capture.until('config ack done', () =>
      capture.acks.some((a) => a.ref.kind === 'config' && a.status === 'done'),
    );
    await until('pm-2 stored', async () => (await stored('pm-2')).length === 2, 15_000);
  });
});
