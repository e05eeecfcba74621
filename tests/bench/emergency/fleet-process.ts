// One forked process of a simulated loudspeaker fleet (see forked-fleet.ts): it waits for a `start` order on
// the IPC channel, runs its share of the clusters in its own event loop, reports `ready`, and stops on `stop`.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Outbox } from '@xaso/gateway-firmware-ts';
import { SpeakerFleet } from '../../../scripts/fleet/speaker-fleet.js';
import { LightStation } from '../scale/light-station.js';
import { FleetDiskQueue } from './fleet-disk-queue.js';
import { type FleetOrder, FleetOrderSchema, type FleetReport } from './fleet-protocol.js';
import { LightCluster } from './light-cluster.js';

type Start = Extract<FleetOrder, { type: 'start' }>;

interface Running {
  stop(): Promise<void>;
}

function report(message: FleetReport): void {
  process.send?.(message);
}

async function startGateways(order: Start): Promise<{ running: Running; down: string[] }> {
  const fleet = await SpeakerFleet.start(order.clusters, {
    broker: order.broker,
    signingPublicKeyPem: order.signingPublicKeyPem,
    dataRoot: order.dataRoot,
    speed: 1000,
    latencyMs: [0, 0],
    jitterMs: 0,
    statusIntervalS: 600,
  });
  return { running: fleet, down: await fleet.waitConnected(order.connectTimeoutMs) };
}

async function startLight(order: Start): Promise<{ running: Running; down: string[] }> {
  const dir = await mkdtemp(join(order.dataRoot, 'xs-light-fleet-'));
  const outbox = new Outbox({ file: join(dir, 'queue.sqlite'), diskBudgetBytes: 256 * 2 ** 20 });
  const queue = new FleetDiskQueue(outbox);
  const url = `mqtt://${order.broker.host}:${order.broker.port}`;
  const connect = (c: Start['clusters'][number]): Promise<LightCluster | LightStation> =>
    order.mode === 'stations'
      ? LightStation.connect(c, { url, queue, intervalS: order.reportEveryS })
      : LightCluster.connect(c, { url, signingKeyPem: order.signingPublicKeyPem, queue });
  const clusters: (LightCluster | LightStation)[] = [];
  const down: string[] = [];
  // Bounded concurrency: 2,500 simultaneous CONNECTs would only queue behind the broker's logins.
  const chunk = 100;
  for (let i = 0; i < order.clusters.length; i += chunk) {
    const settled = await Promise.allSettled(order.clusters.slice(i, i + chunk).map(connect));
    settled.forEach((s, j) => {
      if (s.status === 'fulfilled') clusters.push(s.value);
      else down.push(order.clusters[i + j]?.id ?? '?');
    });
  }
  const running: Running = {
    async stop() {
      await Promise.all(clusters.map((c) => c.close()));
      queue.flush();
      outbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return { running, down };
}

let running: Running | undefined;
process.on('message', (raw: unknown) => {
  const order = FleetOrderSchema.safeParse(raw);
  if (!order.success) {
    report({ type: 'failed', message: `bad order: ${order.error.issues[0]?.message}` });
    return;
  }
  if (order.data.type === 'stop') {
    const stopping = running?.stop() ?? Promise.resolve();
    void stopping.finally(() => {
      report({ type: 'stopped' });
      process.disconnect();
    });
    return;
  }
  const data = order.data;
  const started = Date.now();
  const start = data.mode === 'gateways' ? startGateways : startLight;
  start(data).then(
    (r) => {
      running = r.running;
      report({ type: 'ready', clusters: data.clusters.length, down: r.down, startMs: Date.now() - started });
    },
    (err: Error) => report({ type: 'failed', message: err.stack ?? err.message }),
  );
});
// The parent died or closed the channel: nothing is left to report to.
process.on('disconnect', () => {
  void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
