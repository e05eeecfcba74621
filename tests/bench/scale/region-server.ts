// The server side of the region bench (region.ts), as `npm start -- --no-sim` runs it: broker, collector and
// console in this one process (scripts/stack services, the start configuration loader), plus the bench's own
// parts: an operator account, N clusters and M stations in the registry (bulk, cheap bench hashes), and an
// IPC channel that reports `playing` ack arrival times seen on the console's uplink.
// argv: <dataDir> <clusters> <stations> <communes>
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { type Command, CommandSchema, filters, topics } from '@xaso/device-profiles/contract';
import { AckSchema } from '@xaso/device-profiles/contract';
import { brokerService } from '../../../scripts/stack/broker-service.js';
import { collectorService } from '../../../scripts/stack/collector-service.js';
import { loadStartConfig } from '../../../scripts/stack/config-load.js';
import { consoleService } from '../../../scripts/stack/console-service.js';
import { stackLog } from '../../../scripts/stack/logging.js';
import { serviceCredentials } from '../../../scripts/stack/service-credentials.js';
import { registerBenchClusters } from '../../e2e/fleet-clusters.js';
import { freePort } from '../../harness/index.js';
import { ServerOrderSchema, type ServerReport } from './server-protocol.js';

const [dataDir = '', clustersText = '0', stationsText = '0', communesText = '10'] = process.argv.slice(2);
const CLUSTERS = Number(clustersText);
const STATIONS = Number(stationsText);
const COMMUNES = Number(communesText);
const PROVINCE = 'tinh-vung';
const OPERATOR = { username: 'bench-operator', password: 'region bench operator password' };
const SIREN = { audioId: 'a'.repeat(64), path: `/media/${'a'.repeat(64)}`, durationMs: 2000, title: 'Còi' };

function report(message: ServerReport): void {
  process.send?.(message);
}

const started = Date.now();
const communes = Array.from({ length: COMMUNES }, (_, i) => `xa-vung-${String(i + 1).padStart(2, '0')}`);
const areasFile = join(dataDir, 'areas.json');
writeFileSync(
  areasFile,
  JSON.stringify({
    areas: [
      { id: PROVINCE, parentId: null, name: 'Tỉnh (vùng thử tải)', kind: 'province' },
      ...communes.map((id, i) => ({ id, parentId: PROVINCE, name: `Xã thử tải ${i + 1}`, kind: 'commune' })),
    ],
  }),
);
const [mqttPort, httpPort, metricsPort, consolePort] = [
  await freePort(),
  await freePort(),
  await freePort(),
  await freePort(),
];
const configFile = join(dataDir, 'xaso.json');
writeFileSync(
  configFile,
  JSON.stringify({
    log: { level: 'warn', file: 'logs/xaso.log' },
    statusIntervalS: 0,
    broker: {
      mqtt: { port: mqttPort },
      http: { port: httpPort },
      // region.ts --storage stock: aedes-persistence-level's own QoS 1 in-flight calls, for comparison.
      persistence: { kind: 'level', outgoingJournal: process.env.XS_BENCH_OUTGOING !== 'stock' },
    },
    collector: { metrics: { port: metricsPort } },
    console: { port: consolePort, areasFile },
  }),
);
const config = loadStartConfig(['--no-sim', '--config', configFile, '--data', dataDir], {});
const { log, flush } = stackLog(config.settings, config.dataDir);
const credentials = serviceCredentials(config.dataDir);
const broker = brokerService(
  { ...config.broker, services: { collector: credentials.collector, console: credentials.console } },
  log,
);
const collector = collectorService({
  config: config.collector,
  password: credentials.collector,
  broker: () => broker.running(),
  log,
});
const webConsole = consoleService({
  config: config.console,
  password: credentials.console,
  collectorStateDb: config.collector.outbox.path,
  timeSeries: config.collector.store,
  collectorAlarms: () => collector.running().alarms,
  broker: () => broker.running(),
  log,
});
const services = [broker, collector, webConsole];
for (const service of services) await service.start();

const running = webConsole.running();
await running.core.users.create({
  username: OPERATOR.username,
  displayName: 'Bench operator',
  roles: ['operator', 'approver'],
  areaIds: [PROVINCE],
  password: OPERATOR.password,
});
const registry = broker.running().registry;
const placement = running.core.placement;
const clusterIds = Array.from({ length: CLUSTERS }, (_, i) => `loa-vung-${String(i).padStart(5, '0')}`);
// commandId → deviceId → arrival of its first `playing` ack, as the console's uplink sees it.
const playing = new Map<string, Map<string, number>>();
await running.ctx.uplink.subscribe(filters.allAcks, (_topic, payload) => {
  const at = Date.now();
  const ack = AckSchema.safeParse(JSON.parse(payload.toString('utf8')));
  if (!ack.success || ack.data.ref.kind !== 'command' || ack.data.status !== 'playing') return;
  const byDevice = playing.get(ack.data.ref.commandId) ?? new Map<string, number>();
  playing.set(ack.data.ref.commandId, byDevice);
  if (!byDevice.has(ack.data.deviceId)) byDevice.set(ack.data.deviceId, at);
});

/** In slices, yielding between them: one 10,000-row transaction would stall the broker's and console's sockets. */
async function register(ids: readonly string[], areaId: string | null) {
  const out: ReturnType<typeof registerBenchClusters> = [];
  for (let i = 0; i < ids.length; i += 200) {
    out.push(
      ...registerBenchClusters(
        { registry, groupsFor: (a) => placement.groupsFor(a) },
        ids.slice(i, i + 200),
        areaId,
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}
const clusters = [];
for (const [c, commune] of communes.entries())
  clusters.push(
    ...(await register(
      clusterIds.filter((_, i) => i % COMMUNES === c),
      commune,
    )),
  );
const stationIds = Array.from({ length: STATIONS }, (_, i) => `tram-vung-${String(i).padStart(4, '0')}`);
const stations = await register(stationIds, null);

function firstPlaying(commandIds: readonly string[]): number[] {
  const first = new Map<string, number>();
  for (const id of commandIds)
    for (const [device, at] of playing.get(id) ?? [])
      first.set(device, Math.min(at, first.get(device) ?? at));
  return [...first.values()];
}

async function baseline(groupId: string, round: number): Promise<{ commandId: string; sentAt: number }> {
  const command: Command = CommandSchema.parse(
    running.ctx.signer.sign(
      {
        v: 1,
        target: { kind: 'group', groupId },
        body: {
          type: 'play',
          broadcastId: `region-base-${round}`,
          priority: 'emergency',
          playlist: [SIREN],
          repeat: 1,
          volume: 100,
        },
      },
      'console',
      60_000,
    ),
  );
  const sentAt = Date.now();
  await running.ctx.uplink.publish(topics.groupCommand(groupId), JSON.stringify(command), {
    qos: 1,
    retain: false,
  });
  return { commandId: command.id, sentAt };
}

const inspector = new Session();
async function profile(action: 'start' | 'stop', file: string): Promise<void> {
  if (action === 'start') {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
    return;
  }
  const { profile: taken } = await inspector.post('Profiler.stop');
  writeFileSync(file, JSON.stringify(taken));
  inspector.disconnect();
}

process.on('message', (raw: unknown) => {
  const order = ServerOrderSchema.safeParse(raw);
  if (!order.success)
    return report({ type: 'failed', message: `bad order: ${order.error.issues[0]?.message}` });
  const o = order.data;
  if (o.type === 'acks') return report({ type: 'acks', times: firstPlaying(o.commandIds) });
  if (o.type === 'profile') {
    profile(o.action, o.file).then(
      () => report({ type: 'profiled', action: o.action }),
      (err: Error) => report({ type: 'failed', message: err.message }),
    );
    return;
  }
  if (o.type === 'baseline') {
    baseline(o.groupId, o.round).then(
      (sent) => report({ type: 'baseline-sent', ...sent }),
      (err: Error) => report({ type: 'failed', message: err.message }),
    );
    return;
  }
  void (async () => {
    for (const service of [...services].reverse()) await service.stop().catch(() => undefined);
    flush();
    report({ type: 'stopped' });
    process.disconnect();
  })();
});
process.on('disconnect', () => process.exit(0));

report({
  type: 'ready',
  mqtt: { host: '127.0.0.1', port: mqttPort },
  consoleUrl: running.url,
  brokerHttpUrl: `http://127.0.0.1:${httpPort}`,
  metricsUrl: `http://127.0.0.1:${collector.running().metricsPort}/metrics`,
  signingPublicKeyPem: running.ctx.signer.publicKeyPem,
  operator: OPERATOR,
  clusters,
  stations,
  provinceId: PROVINCE,
  startMs: Date.now() - started,
});
