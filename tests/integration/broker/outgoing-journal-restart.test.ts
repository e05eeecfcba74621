import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, Registry, loadConfig } from '@xaso/broker';
import { filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type OurBroker, startOurBroker } from '../../bench/broker/our-broker.js';
import { freePort, tempDir } from '../../harness/index.js';

const DEVICE = 'spk-journal-1';
/** Publishes in flight at once: enough that deliveries and PUBACKs overlap the SIGKILL. */
const WINDOW = 8;

/**
 * A persistent subscriber (the collector's kind of session) online while a device publishes QoS 1 without
 * pause, the broker SIGKILLed mid-stream (delivery bookkeeping not yet on disk) and restarted, and the
 * subscriber back while new publishes keep coming: every message the broker acknowledged arrives.
 */
describe('outgoing journal across a broker SIGKILL', () => {
  it('is switched by XS_BROKER_OUTGOING_JOURNAL, which names itself when its value is not a boolean', () => {
    const journal = (value: string) => loadConfig({ env: { XS_BROKER_OUTGOING_JOURNAL: value } }).persistence;
    expect(journal('true')).toMatchObject({ kind: 'level', outgoingJournal: true });
    expect(journal('0')).toMatchObject({ kind: 'level', outgoingJournal: false });
    expect(() => journal('yes')).toThrow(ConfigError);
    expect(() => journal('yes')).toThrow(
      /persistence\.outgoingJournal \(from environment XS_BROKER_OUTGOING_JOURNAL\)/,
    );
  });

  let broker: OurBroker | undefined;
  let dir = '';
  const open: MqttClient[] = [];
  afterAll(async () => {
    for (const c of open) await c.endAsync(true).catch(() => undefined);
    await broker?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('delivers every acknowledged message to a persistent subscriber that was online at the kill', async () => {
    dir = await tempDir('xs-journal-restart');
    const [port, httpPort] = [await freePort(), await freePort()];
    const registry = Registry.open(join(dir, 'registry.sqlite'));
    registry.createDevice({ id: DEVICE, role: 'sensor-gateway' });
    const device = { username: DEVICE, password: registry.rotateSecret(DEVICE).password };
    const collector = registry.ensureService('collector');
    registry.close();
    const env = { XS_BROKER_OUTGOING_JOURNAL: 'true' };
    const url = `mqtt://127.0.0.1:${port}`;
    const connect = async (o: IClientOptions) => {
      const c = await mqtt.connectAsync(url, { connectTimeout: 5000, reconnectPeriod: 200, ...o });
      open.push(c);
      return c;
    };
    broker = await startOurBroker({ port, httpPort, dataDir: dir, env });

    const received = new Set<string>();
    const sub = await connect({ clientId: 'collector', clean: false, ...collector });
    sub.on('message', (_t, payload) => received.add(payload.toString()));
    await sub.subscribeAsync(filters.allTelemetry, { qos: 1 });

    const acked: string[] = [];
    const pub = await connect({ clientId: DEVICE, ...device, reconnectPeriod: 0 });
    let next = 0;
    let pumping = true;
    const pump = Promise.all(
      Array.from({ length: WINDOW }, async () => {
        while (pumping) {
          const payload = `r${next++}`;
          try {
            await pub.publishAsync(topics.telemetry(DEVICE), payload, { qos: 1 });
            acked.push(payload);
          } catch {
            return;
          }
        }
      }),
    );
    const until = async (what: string, ok: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!ok()) {
        if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until('a stream under way', () => received.size >= 300, 20_000);
    await broker.kill();
    pumping = false;
    // Publishes the kill cut short were never acknowledged: ending the client fails them.
    await pub.endAsync(true);
    await pump;

    broker = await startOurBroker({ port, httpPort, dataDir: dir, env });
    const pub2 = await connect({ clientId: DEVICE, ...device });
    for (let i = 0; i < 200; i++) {
      const payload = `s${i}`;
      await pub2.publishAsync(topics.telemetry(DEVICE), payload, { qos: 1 });
      acked.push(payload);
    }
    await until('the subscriber back', () => sub.connected, 20_000);
    await until(
      'every acknowledged message delivered',
      () => acked.every((p) => received.has(p)),
      20_000,
    ).catch(() => undefined);
    expect(acked.filter((p) => !received.has(p))).toEqual([]);
  }, 90_000);
});
