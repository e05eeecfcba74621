// Region scale (issue #8): N loudspeaker clusters + M air stations against one server process running
// broker + collector + console as `npm start -- --no-sim` does (region-server.ts). The fleet runs in
// separate processes (../emergency/forked-fleet.ts): light clusters (own MQTT session, the gateway's
// judgeCommand, acks through a disk queue) and light stations (six readings per batch through a disk queue).
// Reports: connections held, telemetry points/s stored, console overview API latency under load, emergency
// time to the last `playing` ack (API call and same-run baseline: a signed command published straight to the
// province's group topic on the console's uplink), and the memory and CPU of each process.
// usage: npx tsx tests/bench/scale/region.ts [--clusters 10000] [--stations 1000] [--workers 3]
//        [--report-every-s 10] [--rounds 5] [--window-s 30] [--storage journal|stock]
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { tempDir } from '../../harness/index.js';
import { ApiClient } from '../../integration/console/fixture.js';
import { ForkedFleet } from '../emergency/forked-fleet.js';
import { cpuSeconds, rssBytes } from '../gateway/proc-stats.js';
import { OVERVIEW, liveSnapshotMs, timedGet } from './overview-latency.js';
import { RegionServer } from './region-process.js';
import { uploadSiren } from './siren.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10000' },
    stations: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '3' },
    'report-every-s': { type: 'string', default: '10' },
    rounds: { type: 'string', default: '5' },
    'window-s': { type: 'string', default: '30' },
    communes: { type: 'string', default: '20' },
    profile: { type: 'string' },
    storage: { type: 'string', default: 'journal' },
  },
});
const N = Number(values.clusters);
const M = Number(values.stations);
const WORKERS = Number(values.workers);
const EVERY_S = Number(values['report-every-s']);
// Read by region-server.ts (forked with this environment): which broker storage serves QoS 1 in-flight state.
process.env.XS_BENCH_OUTGOING = values.storage === 'stock' ? 'stock' : 'journal';
const ROUNDS = Number(values.rounds);
const WINDOW_S = Number(values['window-s']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const out = (o: object) => process.stdout.write(`${JSON.stringify({ bench: 'region-scale', ...o })}\n`);

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
}
const round1 = (x: number) => Math.round(x * 10) / 10;

/** A collector counter summed over its labels, from its Prometheus endpoint. */
async function counter(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}
const pointsWritten = (url: string) => counter(url, 'xs_collector_points_written_total');

const dir = await tempDir('xs-region-bench');
let t = Date.now();
const server = await RegionServer.start({
  dataDir: dir,
  clusters: N,
  stations: M,
  communes: Number(values.communes),
});
const ready = server.ready;
out({
  phase: 'server',
  storage: process.env.XS_BENCH_OUTGOING,
  startMs: Date.now() - t,
  registeredInMs: ready.startMs,
  rssMb: mb(rssBytes(server.pid)),
});

t = Date.now();
const fleet = await ForkedFleet.start(ready.clusters, {
  mode: 'light',
  workers: WORKERS,
  broker: ready.mqtt,
  signingPublicKeyPem: ready.signingPublicKeyPem,
  connectTimeoutMs: 600_000,
});
const clustersMs = Date.now() - t;
t = Date.now();
const stations = await ForkedFleet.start(ready.stations, {
  mode: 'stations',
  workers: 1,
  broker: ready.mqtt,
  signingPublicKeyPem: ready.signingPublicKeyPem,
  reportEveryS: EVERY_S,
});
const health = (await (await fetch(`${ready.brokerHttpUrl}/health`)).json()) as { connectedClients?: number };
out({
  phase: 'connected',
  clustersMs,
  stationsMs: Date.now() - t,
  clustersDown: fleet.down.length,
  stationsDown: stations.down.length,
  connectionsHeld: health.connectedClients,
  serverRssMb: mb(rssBytes(server.pid)),
});

// Steady state: telemetry flowing, console idle but for the overview requests.
await sleep(EVERY_S * 1000 + 2000);
const api = new ApiClient(ready.consoleUrl);
await api.signIn(ready.operator.username, ready.operator.password);
const siren = await uploadSiren(api);
const p0 = await pointsWritten(ready.metricsUrl);
const q0 = await counter(ready.metricsUrl, 'xs_collector_points_queued_total');
const cpu0 = cpuSeconds(server.pid);
const windowStart = Date.now();
const latency: Record<string, number[]> = Object.fromEntries(
  [...OVERVIEW, '/api/live (snapshot)'].map((path) => [path, []]),
);
const bytes: Record<string, number> = {};
while (Date.now() - windowStart < WINDOW_S * 1000) {
  for (const path of OVERVIEW) {
    const r = await timedGet(api, path);
    latency[path]?.push(r.ms);
    bytes[path] = r.bytes;
  }
  latency['/api/live (snapshot)']?.push(await liveSnapshotMs(api));
  await sleep(500);
}
const windowS = (Date.now() - windowStart) / 1000;
const points = (await pointsWritten(ready.metricsUrl)) - p0;
const queued = (await counter(ready.metricsUrl, 'xs_collector_points_queued_total')) - q0;
const deadLetters = await counter(ready.metricsUrl, 'xs_collector_dead_letters_total');
const messages = await counter(ready.metricsUrl, 'xs_collector_messages_total');
out({
  phase: 'steady',
  windowS: round1(windowS),
  pointsPerS: round1(points / windowS),
  // Accepted into the collector's durable outbox (deduplicated), before the store write.
  queuedPointsPerS: round1(queued / windowS),
  offeredPointsPerS: round1((M * 6) / EVERY_S),
  collectorMessages: messages,
  deadLetters,
  serverCpuPct: Math.round(((cpuSeconds(server.pid) - cpu0) / windowS) * 100),
  serverRssMb: mb(rssBytes(server.pid)),
  fleetRssMb: fleet.pids.map((pid) => mb(rssBytes(pid))),
  stationsRssMb: stations.pids.map((pid) => mb(rssBytes(pid))),
});
for (const [path, xs] of Object.entries(latency))
  out({
    phase: 'overview',
    path,
    n: xs.length,
    p50: round1(quantile(xs, 0.5)),
    p99: round1(quantile(xs, 0.99)),
    bytes: bytes[path],
  });

async function waitAcks(commandIds: string[]): Promise<number[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await server.ask({ type: 'acks', commandIds });
    if (r.type !== 'acks') throw new Error(`expected acks, got ${r.type}`);
    if (r.times.length >= N || Date.now() > deadline) return r.times;
    await sleep(20);
  }
}

const results: Record<'api' | 'baseline', number[]> = { api: [], baseline: [] };
// --profile FILE: a CPU profile of the server over the emergency rounds only.
const profileFile = values.profile;
if (profileFile) await server.ask({ type: 'profile', action: 'start', file: profileFile });
for (let round = 0; round < ROUNDS; round++) {
  const cpu = cpuSeconds(server.pid);
  const fleetCpu = fleet.pids.map(cpuSeconds);
  const sentAt = Date.now();
  const res = await api.post<{ commandIds: string[] }>('/api/broadcasts/emergency', {
    targets: [{ kind: 'area', areaId: ready.provinceId }],
    title: `Region bench ${round}`,
    playlist: [siren],
    repeat: 1,
  });
  if (res.status !== 201) throw new Error(`emergency answered ${res.status}: ${JSON.stringify(res.body)}`);
  const apiMs = Date.now() - sentAt;
  const times = (await waitAcks(res.body.commandIds)).map((at) => at - sentAt);
  results.api.push(Math.max(...times));
  await sleep(2000);
  const base = await server.ask({ type: 'baseline', groupId: ready.provinceId, round });
  if (base.type !== 'baseline-sent') throw new Error(`expected baseline-sent, got ${base.type}`);
  const baseTimes = (await waitAcks([base.commandId])).map((at) => at - base.sentAt);
  results.baseline.push(Math.max(...baseTimes));
  out({
    phase: 'emergency',
    round,
    postMs: apiMs,
    apiLastAckMs: Math.max(...times),
    apiP50PerCluster: quantile(times, 0.5),
    apiAcked: times.length,
    baselineLastAckMs: Math.max(...baseTimes),
    baselineP50PerCluster: quantile(baseTimes, 0.5),
    baselineAcked: baseTimes.length,
    serverCpuS: round1(cpuSeconds(server.pid) - cpu),
    fleetCpuS: fleet.pids.map((pid, i) => round1(cpuSeconds(pid) - (fleetCpu[i] ?? 0))),
  });
  await sleep(2000);
}
if (profileFile) await server.ask({ type: 'profile', action: 'stop', file: profileFile });
for (const [variant, xs] of Object.entries(results))
  out({
    summary: true,
    clusters: N,
    stations: M,
    rounds: ROUNDS,
    variant,
    p50: quantile(xs, 0.5),
    p99: quantile(xs, 0.99),
    max: Math.max(...xs),
  });
out({
  phase: 'end',
  serverRssMb: mb(rssBytes(server.pid)),
  fleetRssMb: fleet.pids.map((pid) => mb(rssBytes(pid))),
});

await stations.stop();
await fleet.stop();
await server.stop();
await rm(dir, { recursive: true, force: true });
