import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { TOPIC_ROOT, filters, topicMatches, topics } from '@xaso/device-profiles/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromObject } from '../../../broker/src/config/load.js';
import { BrokerMetrics } from '../../../broker/src/metrics/broker-metrics.js';
import { openStorage } from '../../../broker/src/server/persistence.js';
import type { BrokerStorage } from '../../../broker/src/server/persistence.js';
import { tempDir } from '../../harness/index.js';

interface RetainedApi {
  storeRetained(packet: object): Promise<void>;
  createRetainedStreamCombi(patterns: string[]): Readable;
}

const api = (storage: BrokerStorage) => storage.persistence as RetainedApi;

async function retainedFor(storage: BrokerStorage, patterns: string[]): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  for await (const packet of api(storage).createRetainedStreamCombi(patterns) as AsyncIterable<{
    topic: string;
    payload: Buffer;
  }>)
    seen[packet.topic] = packet.payload.toString('utf8');
  return seen;
}

const retain = (storage: BrokerStorage, topic: string, payload: string) =>
  api(storage).storeRetained({
    cmd: 'publish',
    topic,
    payload: Buffer.from(payload),
    qos: 1,
    retain: true,
    brokerId: 'test',
    brokerCounter: 1,
  });

const FILTERS = [
  '#',
  '+/#',
  filters.allStatus,
  topics.status('loa-01').replace(/[^/]+$/, '#'),
  [TOPIC_ROOT, '+', '+', 'cmd'].join('/'),
  '$SYS/#',
  topics.config('loa-09'),
];

describe('retained messages through the indexed LevelDB persistence', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves exactly the matching retained messages, follows deletes and survives a restart', async () => {
    dir = await tempDir('xs-broker-retained');
    const config = configFromObject({ dataDir: dir });
    const expected = new Map<string, string>();
    let storage = await openStorage(config, new BrokerMetrics());
    for (let i = 0; i < 40; i++) {
      const id = `loa-${String(i).padStart(2, '0')}`;
      for (const kind of ['status', 'config'] as const) {
        const payload = `{"device":"${id}","kind":"${kind}","trạng thái":"trực tuyến"}`;
        await retain(storage, topics.deviceTopic(id, kind), payload);
        expected.set(topics.deviceTopic(id, kind), payload);
      }
    }
    await retain(storage, topics.groupCommand('xa-an-binh'), 'phát thanh');
    expected.set(topics.groupCommand('xa-an-binh'), 'phát thanh');
    await retain(storage, '$SYS/broker/uptime', '42');
    expected.set('$SYS/broker/uptime', '42');
    // Deleted by an empty retained payload, as MQTT prescribes.
    await retain(storage, topics.status('loa-03'), '');
    expected.delete(topics.status('loa-03'));

    const check = async () => {
      for (const filter of FILTERS) {
        const want = Object.fromEntries([...expected].filter(([t]) => topicMatches(filter, t)));
        expect(await retainedFor(storage, [filter]), filter).toEqual(want);
      }
      const combined = await retainedFor(storage, [
        topics.status('loa-01'),
        [TOPIC_ROOT, 'grp', '+', 'cmd'].join('/'),
      ]);
      expect(Object.keys(combined).sort()).toEqual([
        topics.status('loa-01'),
        topics.groupCommand('xa-an-binh'),
      ]);
    };
    await check();
    expect(Object.keys(await retainedFor(storage, ['#']))).not.toContain('$SYS/broker/uptime');

    await storage.close();
    storage = await openStorage(config, new BrokerMetrics());
    await check();
    await retain(storage, topics.config('loa-09'), '');
    expected.delete(topics.config('loa-09'));
    await retain(storage, topics.status('loa-03'), 'back');
    expected.set(topics.status('loa-03'), 'back');
    await check();
    await storage.close();
    storage = await openStorage(config, new BrokerMetrics());
    await check();
    await storage.close();
  });
});
