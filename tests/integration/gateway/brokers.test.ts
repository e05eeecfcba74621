import { randomUUID } from 'node:crypto';
import { getProfile, sensorRegisters } from '@xaso/device-profiles';
import { topics } from '@xaso/device-profiles/contract';
import { generateSigningKeys, signMessage } from '@xaso/device-profiles/signing';
import type { Gateway } from '@xaso/gateway-firmware-ts';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capture } from './capture.js';
import { gatewayConfig, startGateway } from './gateway-fixture.js';
import { type BrokerKind, type TestBroker, startTestBroker } from './test-broker.js';

const pm = getProfile('pm-sensor-rs485');
const T0 = Date.UTC(2026, 2, 10, 4, 30, 0);
const keys = generateSigningKeys();

describe.each<BrokerKind>(['mosquitto', 'ours'])('gateway against %s', (kind) => {
  const ID = `gw-${kind}`;
  let broker: TestBroker;
  let tcp: ModbusTcpServer;
  let capture: Capture;
  let gateway: Gateway;
  const sims = [1, 2].map(
    (unitId) => new SimulatedDevice({ profile: pm, unitId, seed: unitId, clock: () => T0 }),
  );
  const link = () => ({ type: 'tcp' as const, host: '127.0.0.1', port: tcp.port });

  beforeAll(async () => {
    broker = await startTestBroker(kind);
    tcp = new ModbusTcpServer({ devices: sims });
    await tcp.start();
    capture = await Capture.start(broker.url, ID, {
      ...broker.operator(),
      clientId: `console-${ID}-checker`,
      clean: false,
    });
    gateway = await startGateway(
      await gatewayConfig({
        deviceId: ID,
        mqttUrl: broker.url,
        ...broker.device(ID),
        signingPublicKeyPem: keys.publicKeyPem,
        devices: [{ name: 'pm-1', profile: pm.name, link: link(), unitId: 1, pollIntervalMs: 200 }],
      }),
    );
  });

  afterAll(async () => {
    await gateway?.stop();
    await capture?.stop();
    await tcp?.stop();
    await broker?.stop();
  });

  it('publishes the values the instrument served, and a retained online status', async () => {
    await capture.until('readings', () => capture.readingsOf('pm-1').length > 0);
    const snapshot = sims[0]?.snapshot() ?? {};
    for (const reg of sensorRegisters(pm)) {
      expect(capture.readingsOf('pm-1').find((r) => r.channel === (reg.channel ?? reg.name))?.value).toBe(
        snapshot[reg.name],
      );
    }
    await capture.until('online status', () => capture.statuses.some((s) => s.state === 'online'));
  });

  it('applies a signed config from its retained config topic and acks it', async () => {
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
    await capture.until('ack done', () =>
      capture.acks.some((a) => a.ref.kind === 'config' && a.status === 'done'),
    );
    await capture.until('second device polled', () => capture.readingsOf('pm-2').length > 0);
  });

  it('queues through a broker outage and delivers every seq afterwards', async () => {
    await broker.down();
    const seqBefore = gateway.outbox.lastSeq('telemetry');
    await new Promise((r) => setTimeout(r, 1500));
    expect(gateway.outbox.depth).toBeGreaterThan(5);
    await broker.up();
    await capture.until(
      'backlog delivered',
      () => {
        const got = capture.seqs('telemetry').distinct;
        const last = gateway.outbox.lastSeq('telemetry');
        return last > seqBefore + 5 && Array.from({ length: last - 2 }, (_, i) => i).every((s) => got.has(s));
      },
      20_000,
    );
    await capture.until('uplink-lost and uplink-restored events', () =>
      ['uplink-lost', 'uplink-restored'].every((what) =>
        capture.events.some((e) => e.event.kind === 'lifecycle' && e.event.what === what),
      ),
    );
  });
});
