import { randomUUID } from 'node:crypto';
import { getProfile } from '@xaso/device-profiles';
import { type AttachedDevice, topics } from '@xaso/device-profiles/contract';
import { generateSigningKeys, signMessage } from '@xaso/device-profiles/signing';
import type { Gateway, LocalConfig } from '@xaso/gateway-firmware-ts';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto } from '../../harness/index.js';
import { Capture } from './capture.js';
import { gatewayConfig, startGateway } from './gateway-fixture.js';

const ID = 'gw-config';
const consoleKeys = generateSigningKeys();
const forger = generateSigningKeys();
const pm = getProfile('pm-sensor-rs485');

describe('remote config on the retained config topic', () => {
  let mosquitto: ServerHandle;
  let capture: Capture;
  let tcp: ModbusTcpServer;
  let gateway: Gateway;
  let config: LocalConfig;
  let devices: AttachedDevice[];

  const signed = (version: number, devs: unknown[], opts: { key?: string; expiresAt?: number } = {}) =>
    signMessage(
      {
        v: 1,
        id: randomUUID(),
        issuedAt: Date.now(),
        expiresAt: opts.expiresAt ?? Date.now() + 60_000,
        issuer: 'ops@test',
        deviceId: ID,
        version,
        groups: [],
        devices: devs,
        statusIntervalS: 5,
      },
      opts.key ?? consoleKeys.privateKeyPem,
    );
  const publish = (message: unknown) =>
    capture.client.publishAsync(
      topics.config(ID),
      typeof message === 'string' ? message : JSON.stringify(message),
      {
        qos: 1,
        retain: true,
      },
    );
  const sourcesSeenSince = (n: number) =>
    new Set(capture.batches.slice(n).flatMap((b) => b.readings.map((r) => r.source)));
  const eventsOf = (kind: string) => capture.events.map((e) => e.event).filter((e) => e.kind === kind);

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    tcp = new ModbusTcpServer({
      devices: [1, 2].map((unitId) => new SimulatedDevice({ profile: pm, unitId, seed: unitId })),
    });
    await tcp.start();
    const link = { type: 'tcp' as const, host: '127.0.0.1', port: tcp.port };
    devices = [
      { name: 'first', profile: pm.name, link, unitId: 1, pollIntervalMs: 200 },
      { name: 'second', profile: pm.name, link, unitId: 2, pollIntervalMs: 200 },
    ];
    capture = await Capture.start(mosquitto.url, ID);
    config = await gatewayConfig({
      deviceId: ID,
      mqttUrl: mosquitto.url,
      devices: devices.slice(0, 1),
      signingPublicKeyPem: consoleKeys.publicKeyPem,
    });
    gateway = await startGateway(config);
    await capture.until('first readings', () => sourcesSeenSince(0).has('first'));
  });

  afterAll(async () => {
    await gateway?.stop();
    await capture?.stop();
    await tcp?.stop();
    await mosquitto?.stop();
  });

  it('applies a valid signed config, acks it and restarts polling with the new devices', async () => {
    await publish(signed(1, devices));
    await capture.until('ack done v1', () =>
      capture.acks.some((a) => a.ref.kind === 'config' && a.ref.version === 1 && a.status === 'done'),
    );
    expect(eventsOf('config')).toContainEqual(expect.objectContaining({ version: 1, accepted: true }));
    const mark = capture.batches.length;
    await capture.until(
      'both devices polled',
      () => sourcesSeenSince(mark).has('second') && sourcesSeenSince(mark).has('first'),
    );
  });

  it.each([
    ['forged', () => signed(2, devices.slice(1), { key: forger.privateKeyPem }), 'bad-signature'],
    ['expired', () => signed(3, devices.slice(1), { expiresAt: Date.now() - 1000 }), 'expired'],
    ['stale', () => signed(0, devices.slice(1)), 'stale-version'],
  ])('refuses a %s config with an event and keeps the old one', async (_what, make, reason) => {
    const before = eventsOf('refused').length;
    await publish(make());
    await capture.until(`refused ${reason}`, () => eventsOf('refused').length > before);
    expect(eventsOf('refused').at(-1)).toMatchObject({ what: 'config', reason });
    const mark = capture.batches.length;
    await capture.until(
      'still polling both',
      () => sourcesSeenSince(mark).has('first') && sourcesSeenSince(mark).has('second'),
    );
  });

  it('rejects a signed but invalid config with a config event that says why', async () => {
    await publish(signed(4, [{ name: 'bad', profile: pm.name, link: { type: 'rtu' }, unitId: 1 }]));
    await capture.until('config rejected', () =>
      eventsOf('config').some((e) => e.kind === 'config' && !e.accepted),
    );
    const rejected = eventsOf('config').find((e) => e.kind === 'config' && !e.accepted);
    expect(rejected).toMatchObject({ version: 4, accepted: false });
    expect(rejected?.kind === 'config' && rejected.reason).toMatch(/link\.path/);
  });

  it('keeps the accepted config across a restart, even with nothing retained on the broker', async () => {
    await capture.client.publishAsync(topics.config(ID), '', { qos: 1, retain: true });
    await gateway.stop();
    const mark = capture.batches.length;
    gateway = await startGateway(config);
    await capture.until('second polled after restart', () => sourcesSeenSince(mark).has('second'));
  });
});
