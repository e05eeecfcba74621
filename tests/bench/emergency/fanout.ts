// Emergency fan-out: from POST /api/broadcasts/emergency until every cluster of the commune has acked
// `playing`, over R rounds; baseline in the same run: the same signed command published straight to the group
// topic by a bare MQTT client (no HTTP, no target resolution, no tracker). Console API + registry from the
// test fixture; the broker is ours or Mosquitto (anonymous, from the harness; the console's uplink and the
// clusters then use it). Clusters: `gateways` = real speaker gateways (SpeakerFleet, tmpfs, relays with no
// added latency); `light` = LightCluster (light-cluster.ts: own MQTT session, the gateway's judgeCommand, acks
// through a disk queue) with --workers > 0, bare mqtt.js clients that verify and ack with --workers 0.
// --workers N spreads the fleet over N child processes (forked-fleet.ts); 0 runs it in this process.
// --register bulk: registry rows + placement in one transaction, no config push; placement: the console's
// placement per cluster (signed config push each), as before.
// usage: npx tsx tests/bench/emergency/fanout.ts [--clusters 200] [--rounds 10] [--broker ours|mosquitto]
//        [--mode gateways|light] [--workers 2] [--register bulk|placement] [--storage journal|stock]
//        [--warmup 1] [--coalesce true|false]
// Warm-up rounds (same path, printed with "warmup": true) are left out of the percentiles; the summary adds
// the CPU milliseconds per measured round of this process (console + our broker) and of the fleet processes.
// --storage stock: our broker with aedes-persistence-level's own QoS 1 in-flight calls (comparison runs).
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { AudioItem } from '@xaso/console';
import { AckSchema, CommandSchema, filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { SpeakerFleet } from '../../../scripts/fleet/speaker-fleet.js';
import { placeClusters, registerBenchClusters } from '../../e2e/fleet-clusters.js';
import { startMosquitto } from '../../harness/index.js';
import { startClusters, stopClusters } from '../../integration/console-broadcast/clusters.js';
import { startConsoleStack } from '../../integration/console/fixture.js';
import { cpuSeconds } from '../gateway/proc-stats.js';
import { ForkedFleet } from './forked-fleet.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '10' },
    broker: { type: 'string', default: 'ours' },
    mode: { type: 'string', default: 'gateways' },
    workers: { type: 'string', default: '2' },
    register: { type: 'string', default: 'bulk' },
    storage: { type: 'string', default: 'journal' },
    warmup: { type: 'string', default: '1' },
    coalesce: { type: 'string', default: 'true' },
  },
});
const N = Number(values.clusters);
const ROUNDS = Number(values.rounds);
const BROKER = values.broker === 'mosquitto' ? 'mosquitto' : 'ours';
const MODE = values.mode === 'light' ? 'light' : 'gateways';
const WORKERS = Number(values.workers);
const REGISTER = values.register === 'placement' ? 'placement' : 'bulk';
const STORAGE = values.storage === 'stock' ? 'stock' : 'journal';
const WARMUP = Number(values.warmup);
const COALESCE = values.coalesce !== 'false';
const COMMUNE = 'xa-tan-bien';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const siren = createHash('sha256').update('Còi báo động bench').digest('hex');
const item: AudioItem = {
  id: siren,
  title: 'Còi báo động',
  language: 'vi',
  durationMs: 2000,
  path: `/media/${siren}`,
  bytes: 1000,
};

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
}

const mosquitto =
  BROKER === 'mosquitto'
    ? await startMosquitto({ extraConfig: 'max_queued_messages 100000\nset_tcp_nodelay true' })
    : undefined;
const stack = await startConsoleStack({
  broker: {
    persistence: { kind: 'level', outgoingJournal: STORAGE === 'journal' },
    mqtt: { port: 0, coalesceWrites: COALESCE },
  },
  start: { audio: { get: (id) => (id === siren ? item : undefined) } },
  config: {
    logLevel: 'warn',
    ...(mosquitto ? { mqtt: { url: mosquitto.url, clientId: 'console-bench' } } : {}),
  },
});
const brokerUrl = mosquitto?.url ?? stack.mqttUrl;
const [host, port] = brokerUrl.replace('mqtt://', '').split(':');
const playingAt = new Map<string, number>();
/** Delivery acknowledgements (`received`): what the "until every cluster has acknowledged" names. */
const receivedAt = new Map<string, number>();
await stack.ctx.uplink.subscribe(filters.allAcks, (_topic, payload) => {
  const ack = AckSchema.safeParse(JSON.parse(payload.toString()));
  if (!ack.success || ack.data.ref.kind !== 'command') return;
  const key = `${ack.data.deviceId}:${ack.data.ref.commandId}`;
  if (ack.data.status === 'playing') playingAt.set(key, Date.now());
  if (ack.data.status === 'received' && !receivedAt.has(key)) receivedAt.set(key, Date.now());
});

const ids = Array.from({ length: N }, (_, i) => `loa-bench-${String(i).padStart(5, '0')}`);
let t = Date.now();
const credentials =
  REGISTER === 'placement'
    ? await placeClusters(stack, ids, COMMUNE)
    : registerBenchClusters(
        { registry: stack.registry, groupsFor: (a) => stack.console.core.placement.groupsFor(a) },
        ids,
        COMMUNE,
      );
const placedMs = Date.now() - t;
t = Date.now();
let fleet: SpeakerFleet | undefined;
let forked: ForkedFleet | undefined;
const light: Awaited<ReturnType<typeof startClusters>> = [];
if (WORKERS > 0) {
  forked = await ForkedFleet.start(credentials, {
    mode: MODE,
    workers: WORKERS,
    broker: { host: host ?? '127.0.0.1', port: Number(port) },
    signingPublicKeyPem: stack.ctx.signer.publicKeyPem,
  });
  if (forked.down.length > 0) throw new Error(`${forked.down.length} clusters did not connect`);
} else if (MODE === 'gateways') {
  fleet = await SpeakerFleet.start(credentials, {
    broker: { host: host ?? '127.0.0.1', port: Number(port) },
    signingPublicKeyPem: stack.ctx.signer.publicKeyPem,
    speed: 1000,
    latencyMs: [0, 0],
    jitterMs: 0,
  });
  const down = await fleet.waitConnected(120_000);
  if (down.length > 0) throw new Error(`${down.length} gateways did not connect`);
} else {
  const byId = new Map(credentials.map((c) => [c.id, c]));
  const chunk = 500;
  for (let i = 0; i < ids.length; i += chunk)
    light.push(
      ...(await startClusters({
        url: brokerUrl,
        ids: ids.slice(i, i + chunk),
        groupsOf: (id) => byId.get(id)?.groups ?? [],
        publicKeyPem: stack.ctx.signer.publicKeyPem,
        credentials: (id) => ({ username: id, password: byId.get(id)?.password ?? '' }),
      })),
    );
}
const connectedMs = Date.now() - t;
process.stdout.write(
  `${JSON.stringify({ bench: 'emergency-fanout', setup: true, broker: BROKER, mode: MODE, workers: WORKERS, register: REGISTER, clusters: N, placedMs, connectedMs, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) })}\n`,
);
await sleep(2000);

const operator = await stack.login('operator');
// On our broker only services may publish to group topics: the baseline goes out on the console's own uplink.
const baseline = mosquitto ? await mqtt.connectAsync(brokerUrl, { clientId: 'bench-baseline' }) : undefined;

interface RoundTimes {
  ms: number[];
  missing: number;
  /** Per cluster, the first `received` ack of the round's commands. */
  receivedMs: number[];
}

async function waitAll(commandIds: string[], sentAt: number): Promise<RoundTimes> {
  const deadline = Date.now() + 30_000;
  const keys = commandIds.flatMap((cmd) => ids.map((id) => `${id}:${cmd}`));
  while (Date.now() < deadline && keys.some((k) => !playingAt.has(k))) await sleep(5);
  const per = ids.map((id) => {
    const times = commandIds.map((cmd) => playingAt.get(`${id}:${cmd}`)).filter((x) => x !== undefined);
    return times.length > 0 ? Math.min(...times) - sentAt : Number.NaN;
  });
  const received = ids.map((id) => {
    const times = commandIds.map((cmd) => receivedAt.get(`${id}:${cmd}`)).filter((x) => x !== undefined);
    return times.length > 0 ? Math.min(...times) - sentAt : Number.NaN;
  });
  return {
    ms: per.filter((x) => !Number.isNaN(x)),
    missing: per.filter(Number.isNaN).length,
    receivedMs: received.filter((x) => !Number.isNaN(x)),
  };
}

const results: Record<string, number[]> = { api: [], baseline: [] };
const receivedResults: Record<string, number[]> = { api: [], baseline: [] };
/** CPU seconds of this process (console + broker) and of the fleet processes, summed over measured rounds. */
const cpu: Record<string, { server: number; fleet: number }> = {
  api: { server: 0, fleet: 0 },
  baseline: { server: 0, fleet: 0 },
};
const fleetCpu = () => (forked?.pids ?? []).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
const cpuNow = () => ({ server: cpuSeconds(process.pid), fleet: fleetCpu() });
function addCpu(variant: string, from: { server: number; fleet: number }, measured: boolean): void {
  const to = cpuNow();
  const sum = cpu[variant];
  if (!measured || !sum) return;
  sum.server += to.server - from.server;
  sum.fleet += to.fleet - from.fleet;
}
// Warm-up rounds run the same path first and are reported on their own: the first command after start
// meets cold code in every process (JIT, lazily prepared statements), which a fleet in service is past.
for (let round = -WARMUP; round < ROUNDS; round++) {
  const measured = round >= 0;
  let cpuFrom = cpuNow();
  let sentAt = Date.now();
  const res = await operator.post<{ commandIds: string[] }>('/api/broadcasts/emergency', {
    targets: [{ kind: 'area', areaId: COMMUNE }],
    title: `Bench ${round}`,
    playlist: [siren],
    repeat: 1,
  });
  if (res.status !== 201) throw new Error(`emergency answered ${res.status}: ${JSON.stringify(res.body)}`);
  const api = await waitAll(res.body.commandIds, sentAt);
  const apiAll = Math.max(...api.ms);
  addCpu('api', cpuFrom, measured);
  if (measured) results.api?.push(apiAll);
  if (measured) receivedResults.api?.push(Math.max(...api.receivedMs));
  await sleep(1000);

  // Baseline: the console's signer, but published straight to the group topic.
  const command = CommandSchema.parse(
    stack.ctx.signer.sign(
      {
        v: 1,
        target: { kind: 'group', groupId: COMMUNE },
        body: {
          type: 'play',
          broadcastId: `base-${round}`,
          priority: 'emergency',
          playlist: [{ audioId: siren, path: item.path, durationMs: item.durationMs, title: item.title }],
          repeat: 1,
          volume: 100,
        },
      },
      'console',
      60_000,
    ),
  );
  cpuFrom = cpuNow();
  sentAt = Date.now();
  const payload = JSON.stringify(command);
  if (baseline) await baseline.publishAsync(topics.groupCommand(COMMUNE), payload, { qos: 1 });
  else await stack.ctx.uplink.publish(topics.groupCommand(COMMUNE), payload, { qos: 1, retain: false });
  const base = await waitAll([command.id], sentAt);
  addCpu('baseline', cpuFrom, measured);
  if (measured) results.baseline?.push(Math.max(...base.ms));
  if (measured) receivedResults.baseline?.push(Math.max(...base.receivedMs));
  process.stdout.write(
    `${JSON.stringify({ bench: 'emergency-fanout', broker: BROKER, storage: STORAGE, mode: MODE, workers: WORKERS, clusters: N, round, warmup: !measured, apiToAllReceivedMs: Math.max(...api.receivedMs), apiToAllPlayingMs: apiAll, apiP50PerCluster: quantile(api.ms, 0.5), apiMissing: api.missing, baselineToAllReceivedMs: Math.max(...base.receivedMs), baselineToAllPlayingMs: Math.max(...base.ms), baselineMissing: base.missing })}\n`,
  );
  await sleep(1000);
}
for (const [variant, xs] of Object.entries(results))
  process.stdout.write(
    `${JSON.stringify({ bench: 'emergency-fanout', summary: true, broker: BROKER, storage: STORAGE, coalesce: COALESCE, mode: MODE, workers: WORKERS, clusters: N, rounds: ROUNDS, variant, receivedP50: quantile(receivedResults[variant] ?? [], 0.5), receivedP99: quantile(receivedResults[variant] ?? [], 0.99), p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), max: Math.max(...xs), serverCpuMsPerRound: Math.round(((cpu[variant]?.server ?? 0) * 1000) / ROUNDS), fleetCpuMsPerRound: Math.round(((cpu[variant]?.fleet ?? 0) * 1000) / ROUNDS) })}\n`,
  );
await baseline?.endAsync();
await fleet?.stop();
await forked?.stop();
await stopClusters(light);
await stack.close();
await mosquitto?.stop();
