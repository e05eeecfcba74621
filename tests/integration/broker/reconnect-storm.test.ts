import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningBroker } from '@xaso/broker';
import { Registry, startBroker } from '@xaso/broker';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { hashSecret, newPassword } from '../../../broker/src/registry/secret-hash.js';
import { tempDir } from '../../harness/index.js';

const DEVICES = 200;
// Registration only: cheap hashes set 200 devices up in a fraction of a second. What the test shows,
// the number of scrypt runs after a restart, does not depend on their cost.
const CHEAP = { N: 1024, r: 8, p: 1 };
const ids = Array.from({ length: DEVICES }, (_, i) => `spk-storm-${String(i).padStart(3, '0')}`);

async function checks(broker: RunningBroker): Promise<Record<string, number>> {
  const { values } = await broker.metrics.credentialChecks.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.path), v.value]));
}

/** Connects every device at once; resolves with each one's CONNACK outcome (0, or the refusal code). */
function wave(
  url: string,
  passwords: Map<string, string>,
): Promise<{ clients: MqttClient[]; codes: number[] }> {
  const clients: MqttClient[] = [];
  const outcomes = ids.map((id) => {
    const client = mqtt.connect(url, {
      clientId: id,
      username: id,
      password: passwords.get(id),
      reconnectPeriod: 0,
      connectTimeout: 60_000,
      keepalive: 30,
    });
    clients.push(client);
    return new Promise<number>((resolve) => {
      client.once('connect', () => resolve(0));
      client.once('error', (err) => resolve(Number((err as { code?: unknown }).code ?? -1)));
    });
  });
  return Promise.all(outcomes).then((codes) => ({ clients, codes }));
}

describe('reconnect storm after a broker restart', () => {
  let dir = '';
  let broker: RunningBroker | undefined;
  const open: MqttClient[] = [];
  afterAll(async () => {
    await Promise.all(open.map((c) => c.endAsync(true).catch(() => undefined)));
    await broker?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const start = () =>
    startBroker(
      { host: '127.0.0.1', mqtt: { port: 0 }, http: { port: 0 }, dataDir: dir, logLevel: 'silent' },
      { logger: pino({ level: 'silent' }) },
    );

  it('answers 200 reconnecting devices from remembered verifiers, not scrypt; a wrong password still pays scrypt', async () => {
    dir = await tempDir('xs-broker-storm');
    const passwords = new Map<string, string>();
    const registry = Registry.open(join(dir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
    const setSecret = registry.db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?');
    registry.db.transaction(() => {
      for (const id of ids) {
        registry.createDevice({ id, role: 'speaker-cluster' });
        const password = newPassword();
        passwords.set(id, password);
        setSecret.run(hashSecret(password, CHEAP), id);
      }
    })();
    registry.close();

    broker = await start();
    const first = await wave(`mqtt://127.0.0.1:${broker.ports.mqtt}`, passwords);
    open.push(...first.clients);
    expect(first.codes.filter((c) => c !== 0)).toEqual([]);
    expect(await checks(broker)).toMatchObject({ scrypt: DEVICES });
    await Promise.all(first.clients.map((c) => c.endAsync(true)));
    await broker.close();

    // One device comes back with a wrong password: it must not ride on the others' verifiers.
    const intruder = ids[7] ?? '';
    const presented = new Map(passwords);
    presented.set(intruder, newPassword());
    broker = await start();
    const startedAt = performance.now();
    const second = await wave(`mqtt://127.0.0.1:${broker.ports.mqtt}`, presented);
    const settledMs = performance.now() - startedAt;
    open.push(...second.clients);
    const refused = ids.filter((_, i) => second.codes[i] !== 0);
    expect(refused).toEqual([intruder]);
    expect(second.codes[7]).toBe(5);
    expect(await checks(broker)).toMatchObject({ verifier: DEVICES - 1, scrypt: 1 });
    // 199 HMACs and one scrypt: far below the ~8 s of 200 full-cost scrypt checks on two cores.
    expect(settledMs).toBeLessThan(8_000);
  }, 60_000);
});
