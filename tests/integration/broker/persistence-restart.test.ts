import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from '@xaso/broker';
import { filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { IClientOptions } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type OurBroker, startOurBroker } from '../../bench/broker/our-broker.js';
import { freePort, tempDir } from '../../harness/index.js';
import { nextMessage } from './fixture.js';

const N = 30;
const KILL_AFTER = 12;
const DEVICE = 'spk-persist-1';

describe('broker persistence across SIGKILL', () => {
  let broker: OurBroker | undefined;
  let dir = '';
  afterAll(async () => {
    await broker?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('delivers every acknowledged QoS 1 command queued for an offline device, and keeps retained status', async () => {
    dir = await tempDir('xs-broker-persist');
    const [port, httpPort] = [await freePort(), await freePort()];
    const registry = Registry.open(join(dir, 'registry.sqlite'));
    registry.createDevice({ id: DEVICE, role: 'speaker-cluster' });
    const device = { username: DEVICE, password: registry.rotateSecret(DEVICE).password };
    const consoleCreds = registry.ensureService('console');
    const collectorCreds = registry.ensureService('collector');
    registry.close();

    const url = `mqtt://127.0.0.1:${port}`;
    const opts = (o: IClientOptions): IClientOptions => ({ reconnectPeriod: 0, connectTimeout: 5000, ...o });
    broker = await startOurBroker({ port, httpPort, dataDir: dir });

    const dev = await mqtt.connectAsync(url, opts({ clientId: DEVICE, clean: false, ...device }));
    await dev.subscribeAsync(topics.command(DEVICE), { qos: 1 });
    const online = JSON.stringify({
      v: 1,
      deviceId: DEVICE,
      state: 'online',
      ts: Date.now(),
      reason: 'connect',
    });
    await dev.publishAsync(topics.status(DEVICE), online, { qos: 1, retain: true });
    await dev.endAsync();

    const sender = await mqtt.connectAsync(url, opts({ clientId: 'console-persist', ...consoleCreds }));
    for (let i = 0; i < KILL_AFTER; i++)
      await sender.publishAsync(topics.command(DEVICE), `cmd-${i}`, { qos: 1 });
    await broker.kill();
    await sender.endAsync(true);

    broker = await startOurBroker({ port, httpPort, dataDir: dir });
    const sender2 = await mqtt.connectAsync(url, opts({ clientId: 'console-persist', ...consoleCreds }));
    for (let i = KILL_AFTER; i < N; i++)
      await sender2.publishAsync(topics.command(DEVICE), `cmd-${i}`, { qos: 1 });
    await sender2.endAsync();

    const received = new Set<string>();
    const back = mqtt.connect(url, opts({ clientId: DEVICE, clean: false, ...device }));
    const all = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${received.size}/${N} commands arrived`)),
        10_000,
      );
      back.on('message', (_t, payload) => {
        received.add(payload.toString());
        if (received.size === N) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await all;
    expect([...received].sort()).toEqual(Array.from({ length: N }, (_, i) => `cmd-${i}`).sort());
    await back.endAsync();

    const watcher = await mqtt.connectAsync(url, opts({ clientId: 'collector-persist', ...collectorCreds }));
    const status = nextMessage(watcher, topics.status(DEVICE));
    await watcher.subscribeAsync(filters.allStatus, { qos: 1 });
    expect(JSON.parse(await status)).toMatchObject({ deviceId: DEVICE, state: 'online' });
    await watcher.endAsync();

    // SIGTERM shuts down cleanly: listeners, aedes, LevelDB and the registry closed, exit status 0.
    const running = broker;
    broker = undefined;
    await running.stop();
    expect(running.child.exitCode).toBe(0);
  });
});
