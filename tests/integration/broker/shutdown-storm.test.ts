import { setTimeout as sleep } from 'node:timers/promises';
import { topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSecret, newPassword } from '../../../broker/src/registry/secret-hash.js';
import { type BrokerFixture, brokerFixture } from './fixture.js';

const DEVICES = 120;
const CHEAP = { N: 1024, r: 8, p: 1 };

describe('closing the broker while a connection storm is arriving', () => {
  let fx: BrokerFixture | undefined;
  const clients: MqttClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await fx?.close();
  });

  it('stops accepting, lets nothing touch the closed persistence, and raises no unhandled error', async () => {
    const problems: unknown[] = [];
    const onProblem = (err: unknown) => problems.push(err);
    process.on('uncaughtException', onProblem);
    process.on('unhandledRejection', onProblem);
    try {
      fx = await brokerFixture();
      const { broker } = fx;
      const setSecret = broker.registry.db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?');
      const devices = Array.from({ length: DEVICES }, (_, i) => {
        const id = `spk-close-${String(i).padStart(3, '0')}`;
        broker.registry.createDevice({ id, role: 'speaker-cluster' });
        const password = newPassword();
        setSecret.run(hashSecret(password, CHEAP), id);
        return { id, password };
      });
      let connected = 0;
      // Persistent sessions with wills and QoS 1 subscriptions: every step of CONNECT touches the persistence.
      for (const d of devices) {
        const client = mqtt.connect(fx.url, {
          clientId: d.id,
          username: d.id,
          password: d.password,
          clean: false,
          reconnectPeriod: 10,
          connectTimeout: 2000,
          will: { topic: topics.status(d.id), payload: Buffer.from('offline'), qos: 1, retain: true },
        });
        client.on('error', () => undefined);
        client.on('connect', () => {
          connected++;
          client.subscribe(topics.command(d.id), { qos: 1 });
          client.publish(topics.status(d.id), 'online', { qos: 1, retain: true });
        });
        clients.push(client);
      }
      const deadline = Date.now() + 10_000;
      while (connected < DEVICES / 4 && Date.now() < deadline) await sleep(5);
      expect(connected).toBeGreaterThan(0);

      const started = performance.now();
      await broker.close();
      const closeMs = performance.now() - started;
      // Clients keep retrying against the closed port for a moment: nothing may answer them.
      await sleep(300);
      expect(problems).toEqual([]);
      const persistenceErrors = fx.logs.filter((l) =>
        /not open|is closed|persistence closed/i.test(String(l.err ?? '')),
      );
      expect(persistenceErrors).toEqual([]);
      expect(closeMs).toBeLessThan(10_000);
      expect(clients.some((c) => c.connected)).toBe(false);
    } finally {
      process.off('uncaughtException', onProblem);
      process.off('unhandledRejection', onProblem);
    }
  }, 30_000);
});
