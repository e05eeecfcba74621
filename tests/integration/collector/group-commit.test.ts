import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import mqtt, { type IPublishPacket, type Packet } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../../collector/src/collector.js';
import { CollectorConfigSchema } from '../../../collector/src/config/schema.js';
import { HeldPubacks } from '../../../collector/src/ingest/held-pubacks.js';
import { startMosquitto } from '../../harness/index.js';
import { until } from './wait.js';

type Broker = Awaited<ReturnType<typeof startMosquitto>>;

const T0 = Date.now() - 3_600_000;
const batch = (deviceId: string, seq: number): string =>
  JSON.stringify({
    v: 1,
    deviceId,
    seq,
    ts: T0 + seq * 1000,
    readings: [
      { source: 'aqms', channel: 'pm25', value: seq, unit: 'µg/m³', ts: T0 + seq * 1000, quality: 'good' },
    ],
  });

describe('group commit: one transaction for what arrives together, PUBACKs only after it', () => {
  let dir: string;
  let broker: Broker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xs-group-'));
    broker = await startMosquitto({ extraConfig: 'max_queued_messages 0\n' });
  });
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds mqtt.js’s PUBACK until released, and never sends it on a later connection', async () => {
    const sub = await mqtt.connectAsync(broker.url, {
      clientId: 'held-sub',
      clean: false,
      reconnectPeriod: 100,
    });
    const held = new HeldPubacks(sub);
    const sent: Packet[] = [];
    sub.on('packetsend', (p) => sent.push(p));
    const received: IPublishPacket[] = [];
    sub.handleMessage = (packet, callback) => {
      received.push(packet as IPublishPacket);
      callback();
    };
    await sub.subscribeAsync(topics.telemetry('gw-held'), { qos: 1 });
    const pub = await mqtt.connectAsync(broker.url, { clientId: 'held-pub' });
    await pub.publishAsync(topics.telemetry('gw-held'), batch('gw-held', 1), { qos: 1 });
    await until('message received', () => received.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sent.filter((p) => p.cmd === 'puback')).toHaveLength(0);

    // Not acknowledged: a new connection gets it again (Mosquitto keeps the persistent session's in-flight).
    const first = received[0];
    const connection = held.current;
    sub.stream.destroy();
    await until('redelivered after reconnect', () => received.length === 2, 10_000);
    held.send(first?.messageId ?? 0, connection);
    expect(sent.filter((p) => p.cmd === 'puback')).toHaveLength(0);

    const again = received[1];
    expect(again?.messageId).toBe(first?.messageId);
    held.send(again?.messageId ?? 0, held.current);
    expect(sent.filter((p) => p.cmd === 'puback')).toEqual([
      expect.objectContaining({ messageId: again?.messageId }),
    ]);
    await pub.endAsync();
    await sub.endAsync();
  });

  it('commits a backlog in groups of several messages and stores every one exactly once', async () => {
    const config = CollectorConfigSchema.parse({
      mqtt: { url: broker.url, clientId: 'collector-group' },
      store: { kind: 'embedded', path: join(dir, 'ts.db') },
      outbox: { path: join(dir, 'state.db') },
      metrics: { port: 0 },
      alarms: { enabled: false },
      indices: { enabled: false },
      logLevel: 'silent',
    });
    // The session exists first; then a backlog builds up while the collector is away.
    const away = await startCollector(config);
    await away.ready();
    await away.stop(0);
    const pub = await mqtt.connectAsync(broker.url, { clientId: 'group-pub' });
    const MESSAGES = 400;
    // Four devices, each with its own consecutive sequence 1..100, interleaved.
    for (let i = 0; i < MESSAGES; i++)
      await pub.publishAsync(topics.telemetry(`gw-${i % 4}`), batch(`gw-${i % 4}`, Math.floor(i / 4) + 1), {
        qos: 1,
      });
    await pub.endAsync();

    const collector = await startCollector(config);
    const stored = () =>
      collector.state
        .prepare<{ n: number }>("SELECT sum(last_seq) AS n FROM sequences WHERE kind = 'telemetry'")
        .get()?.n ?? 0;
    await until('backlog stored', () => stored() === MESSAGES, 20_000);
    const histogram = (await collector.metrics.groupSize.get()).values;
    const count =
      histogram.find((v) => v.metricName === 'xs_collector_commit_group_messages_count')?.value ?? 0;
    const sum = histogram.find((v) => v.metricName === 'xs_collector_commit_group_messages_sum')?.value ?? 0;
    expect(sum).toBe(MESSAGES);
    // Mosquitto's in-flight window is 20: a backlog arrives many at a time, so far fewer commits than messages.
    expect(count).toBeLessThan(MESSAGES / 2);
    const count0 = (sql: string) => collector.state.prepare<{ n: number }>(sql).get()?.n;
    expect(count0('SELECT count(*) AS n FROM dead_letters')).toBe(0);
    // In order and complete: no sequence gap was ever recorded, and the outbox got one point per message.
    expect(count0('SELECT count(*) AS n FROM seq_gap_history')).toBe(0);
    expect((await collector.metrics.pointsQueued.get()).values.reduce((a, v) => a + v.value, 0)).toBe(
      MESSAGES,
    );
    await collector.stop(2000);
  });
});
