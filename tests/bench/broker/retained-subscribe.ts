// `npx tsx tests/bench/broker/retained-subscribe.ts [--gateways 200] [--retained 5000]`
// 200 gateways connect at once, each subscribing to its own command/schedule/config topics, with N
// retained messages in the broker; time until the last gateway has its retained config. The broker runs
// with the retained index (after) and with the library's scan per SUBSCRIBE (before), in the same run.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry, startBroker } from '@xaso/broker';
import { topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { configFromObject } from '../../../broker/src/config/load.js';
import { BrokerMetrics } from '../../../broker/src/metrics/broker-metrics.js';
import { hashSecret, newPassword } from '../../../broker/src/registry/secret-hash.js';
import { openStorage } from '../../../broker/src/server/persistence.js';
import { tempDir } from '../../harness/index.js';
import { intArg, parseArgs, percentile } from './bench-args.js';

const CHEAP = { N: 1024, r: 8, p: 1 };
const quiet = pino({ level: 'silent' });

interface Gateway {
  id: string;
  password: string;
}

async function prepare(dir: string, gateways: number, retained: number): Promise<Gateway[]> {
  const registry = Registry.open(join(dir, 'registry.sqlite'), { logger: quiet });
  const list: Gateway[] = [];
  const setSecret = registry.db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?');
  registry.db.transaction(() => {
    for (let i = 0; i < gateways; i++) {
      const id = `tram-${String(i).padStart(4, '0')}`;
      registry.createDevice({ id, role: 'sensor-gateway' });
      const password = newPassword();
      setSecret.run(hashSecret(password, CHEAP), id);
      list.push({ id, password });
    }
  })();
  registry.close();
  const storage = await openStorage(configFromObject({ dataDir: dir }), new BrokerMetrics());
  const persistence = storage.persistence as { storeRetained(p: object): Promise<void> };
  const payload = Buffer.from(
    JSON.stringify({ v: 1, note: 'cấu hình trạm quan trắc', pad: 'x'.repeat(300) }),
  );
  const store = (topic: string) =>
    persistence.storeRetained({
      cmd: 'publish',
      topic,
      payload,
      qos: 1,
      retain: true,
      brokerId: 'b',
      brokerCounter: 1,
    });
  for (const g of list) await store(topics.config(g.id));
  // The rest: status messages of the loudspeaker fleet, retained as presence.
  for (let i = list.length; i < retained; i++)
    await store(topics.status(`loa-${String(i).padStart(5, '0')}`));
  await storage.close();
  return list;
}

async function wave(url: string, gateways: Gateway[]): Promise<{ clients: MqttClient[]; ms: number[] }> {
  const start = performance.now();
  const clients: MqttClient[] = [];
  const ms = await Promise.all(
    gateways.map(
      (g) =>
        new Promise<number>((resolve, reject) => {
          const client = mqtt.connect(url, {
            clientId: g.id,
            username: g.id,
            password: g.password,
            clean: false,
            reconnectPeriod: 0,
            connectTimeout: 120_000,
          });
          clients.push(client);
          client.once('error', reject);
          client.on('message', (topic) => {
            if (topic === topics.config(g.id)) resolve(performance.now() - start);
          });
          client.once('connect', () => {
            client.subscribe([topics.command(g.id), topics.schedule(g.id), topics.config(g.id)], { qos: 1 });
          });
        }),
    ),
  );
  return { clients, ms };
}

async function measure(retainedIndex: boolean, gateways: number, retained: number) {
  const dir = await tempDir('xs-bench-retained');
  try {
    const list = await prepare(dir, gateways, retained);
    const broker = await startBroker(
      {
        host: '127.0.0.1',
        mqtt: { port: 0 },
        http: { port: 0 },
        dataDir: dir,
        logLevel: 'silent',
        persistence: { kind: 'level', retainedIndex },
      },
      { logger: quiet },
    );
    const url = `mqtt://127.0.0.1:${broker.ports.mqtt}`;
    // First wave: logins pay scrypt and the sessions are created; the second wave is the reconnect measured.
    const warm = await wave(url, list);
    await Promise.all(warm.clients.map((c) => c.endAsync()));
    const { clients, ms } = await wave(url, list);
    await Promise.all(clients.map((c) => c.endAsync()));
    await broker.close();
    const sorted = ms.sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      bench: 'retained-subscribe',
      retained_index: retainedIndex,
      gateways,
      retained,
      p50_ms: round(percentile(sorted, 50)),
      all_ms: round(sorted.at(-1) ?? Number.NaN),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const args = parseArgs(process.argv.slice(2));
const gateways = intArg(args, 'gateways', 200);
const retained = intArg(args, 'retained', 5000);
for (const retainedIndex of [false, true])
  process.stdout.write(`${JSON.stringify(await measure(retainedIndex, gateways, retained))}\n`);
process.exit(0);
