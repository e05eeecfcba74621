/**
 * Collector benchmark: sustained ingest broker → collector → VictoriaMetrics against the ceiling of
 * curl posting the same line protocol in large batches; outbox drain after a simulated 1-hour
 * outage; collector memory under load. The outbox modes (`always`: every group through the outbox;
 * `write-through`: straight to the store while it is healthy) and the drainer threads (`main`, `worker`)
 * are run alternately in the same run, each against the same ceiling. Prints JSON lines.
 *   npx tsx tests/bench/collector/ingest.ts [--points 300000] [--wire readings,columns]
 *     [--modes always,write-through] [--drainers worker] [--rounds 2] [--profile dir]
 *     [--group-messages 256] [--batch-points 50000] [--write-through-groups 4] [--write-through-messages 40]
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { z } from 'zod';
import { freePort, startMosquitto, startVictoriaMetrics } from '../../harness/index.js';
import { type CollectorProcess, spawnCollector } from '../../integration/collector/collector-process.js';
import { until } from '../../integration/collector/wait.js';
import { CHANNELS, type WireForm, WireFormSchema, stationBatch, stationLines } from './workload.js';

const { values: args } = parseArgs({
  options: {
    points: { type: 'string', default: '300000' },
    instants: { type: 'string', default: '200' },
    devices: { type: 'string', default: '20' },
    'outage-devices': { type: 'string', default: '220' },
    /** Writes a V8 CPU profile of the collector process into this directory. */
    profile: { type: 'string' },
    /** Wire forms to measure, in this order: readings (telemetry v 1), columns (v 2, what gateways send). */
    wire: { type: 'string', default: 'readings,columns' },
    /** Drainer modes compared; each round runs them all, the order reversed every other round. */
    drainers: { type: 'string', default: 'worker' },
    /** Outbox modes compared, likewise (every drainer × every mode). */
    modes: { type: 'string', default: 'always,write-through' },
    rounds: { type: 'string', default: '2' },
    /** Messages per group commit (`mqtt.groupCommit.maxMessages`), i.e. per write-through POST. */
    'group-messages': { type: 'string', default: '256' },
    /** Points per drain POST (`outbox.batchPoints`): the ceiling's 50,000 lines per request, like for like. */
    'batch-points': { type: 'string', default: '50000' },
    /** Write-through groups in flight at once (`outbox.writeThroughGroups`). */
    'write-through-groups': { type: 'string', default: '4' },
    /** Messages per write-through POST (`outbox.writeThroughMaxMessages`). */
    'write-through-messages': { type: 'string', default: '40' },
  },
});
const POINTS = Number(args.points);
const INSTANTS = Number(args.instants);
const DEVICES = Number(args.devices);
const OUTAGE_DEVICES = Number(args['outage-devices']);
const WIRES = args.wire.split(',').map((w) => WireFormSchema.parse(w));
const DrainerSchema = z.enum(['main', 'worker']);
const DRAINERS = args.drainers.split(',').map((d) => DrainerSchema.parse(d));
const ModeSchema = z.enum(['always', 'write-through']);
const MODES = args.modes.split(',').map((m) => ModeSchema.parse(m));
type Variant = { drainer: z.infer<typeof DrainerSchema>; mode: z.infer<typeof ModeSchema> };
const VARIANTS: Variant[] = DRAINERS.flatMap((drainer) => MODES.map((mode) => ({ drainer, mode })));
const ROUNDS = Number(args.rounds);
const collectorNodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];

const emit = (o: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ bench: 'collector', ...o })}\n`);
};

async function metric(port: number, name: string): Promise<number> {
  let text: string;
  try {
    text = await (await fetch(`http://127.0.0.1:${port}/metrics?name=${name}`)).text();
  } catch (err) {
    throw new Error(`metrics on port ${port}: ${(err as Error).message} (${String((err as Error).cause)})`);
  }
  const m = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

/** Messages per group commit (one transaction, one fsync) over a run: a histogram's sum and count. */
async function commitGroups(port: number): Promise<{ sum: number; count: number }> {
  const name = 'xs_collector_commit_group_messages';
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics?name=${name}`)).text();
  const read = (suffix: string): number =>
    Number(new RegExp(`^${name}_${suffix} ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? 0);
  return { sum: read('sum'), count: read('count') };
}

/** Write-through groups by route (written, backlog, failed, slow) so far. */
async function routes(port: number): Promise<Record<string, number>> {
  const name = 'xs_collector_write_through_groups_total';
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics?name=${name}`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(new RegExp(`^${name}\\{route="([a-z-]+)"\\} ([0-9.e+]+)$`, 'gm')))
    out[m[1] ?? ''] = Number(m[2]);
  return out;
}

/**
 * CPU seconds (user + system) the collector has used: the whole process and its ingest (main) thread,
 * from /proc (clock ticks of 10 ms). Unlike a rate, these do not depend on what else the machine runs.
 */
function cpuSeconds(pid: number): { process: number; ingestThread: number; threads: Record<string, number> } {
  const ticks = (file: string): number => {
    const stat = readFileSync(file, 'utf8');
    // Fields after the command name (which may hold spaces): state is the 3rd, utime/stime the 14th/15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const threads: Record<string, number> = {};
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
      const key = task === String(pid) ? 'ingest' : name;
      threads[key] = (threads[key] ?? 0) + ticks(`/proc/${pid}/task/${task}/stat`) / 100;
    } catch {
      // A thread that ended between the listing and the read: its time is in the process total.
    }
  }
  return {
    process: ticks(`/proc/${pid}/stat`) / 100,
    ingestThread: ticks(`/proc/${pid}/task/${pid}/stat`) / 100,
    threads,
  };
}

/** CPU seconds of a whole process (every thread), e.g. the database or the broker, from /proc. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of this process (the publishers), of the database and of the broker, for the CPU budget. */
function othersCpuSeconds(): { publishers: number; database: number; broker: number } {
  const self = process.cpuUsage();
  return {
    publishers: (self.user + self.system) / 1e6,
    database: processCpuSeconds(vm.pid),
    broker: processCpuSeconds(broker.pid),
  };
}

async function vmCount(url: string, device: string): Promise<number> {
  const res = await fetch(
    `${url}/api/v1/export?${new URLSearchParams({ 'match[]': `{__name__="air_pm25",device="${device}"}` })}`,
  );
  const text = await res.text();
  let n = 0;
  for (const line of text.split('\n'))
    if (line.trim()) n += (JSON.parse(line) as { timestamps: number[] }).timestamps.length;
  return n;
}

const dir = mkdtempSync(join(tmpdir(), 'xs-bench-collector-'));
const vm = await startVictoriaMetrics();
const broker = await startMosquitto({ extraConfig: 'max_queued_messages 0\nmax_inflight_messages 100\n' });
const batches = Math.ceil(POINTS / INSTANTS);
const t0 = Date.now() - 6 * 3_600_000;
let collectorChild: ChildProcess | null = null;
let publishers: mqtt.MqttClient[] = [];

try {
  // Ceiling: the same lines straight to the same database with curl, 50,000 lines per request.
  // Run before and after the collector's run; the better of the two is the ceiling.
  const ceilingRun = (label: string): number => {
    const lines: string[] = [];
    for (let b = 0; b < batches; b++)
      lines.push(...stationLines(`${label}-${b % DEVICES}`, Math.floor(b / DEVICES), INSTANTS, t0));
    const files: string[] = [];
    for (let i = 0; i < lines.length; i += 50_000) {
      const f = join(dir, `${label}-${i}.lp`);
      writeFileSync(f, lines.slice(i, i + 50_000).join('\n'));
      files.push(f);
    }
    const db0 = processCpuSeconds(vm.pid);
    const c0 = performance.now();
    for (const f of files) {
      const r = spawnSync('curl', [
        '-sS',
        '-f',
        '-XPOST',
        `${vm.url}/api/v2/write?org=&bucket=bench&precision=ms`,
        '--data-binary',
        `@${f}`,
      ]);
      if (r.status !== 0) throw new Error(`curl failed: ${r.stderr.toString()}`);
    }
    const seconds = (performance.now() - c0) / 1000;
    emit({
      case: 'ceiling-curl',
      run: label,
      db: 'victoria-metrics',
      points: lines.length,
      valuesPerPoint: CHANNELS.length,
      seconds: +seconds.toFixed(2),
      pointsPerS: Math.round(lines.length / seconds),
      databaseCpuSeconds: +(processCpuSeconds(vm.pid) - db0).toFixed(2),
    });
    return lines.length / seconds;
  };
  const ceilingBefore = ceilingRun('ceil1');

  // Sustained ingest through the broker and the collector, once per drainer mode and round.
  const metricsPort = await freePort();
  const configFile = join(dir, 'collector.json');
  const writeConfig = ({ drainer, mode }: Variant): void =>
    writeFileSync(
      configFile,
      JSON.stringify({
        mqtt: {
          url: broker.url,
          clientId: 'bench-collector',
          groupCommit: { maxMessages: Number(args['group-messages']) },
        },
        store: { kind: 'influxdb', url: vm.url, version: '2', bucket: 'bench' },
        outbox: {
          path: join(dir, 'state.db'),
          batchPoints: Number(args['batch-points']),
          minBackoffMs: 200,
          maxBackoffMs: 2000,
          drainer,
          mode,
          writeThroughGroups: Number(args['write-through-groups']),
          writeThroughMaxMessages: Number(args['write-through-messages']),
        },
        metrics: { port: metricsPort },
        logLevel: 'info',
      }),
    );
  publishers = await Promise.all(
    Array.from({ length: 4 }, (_, i) => mqtt.connectAsync(broker.url, { clientId: `bench-pub-${i}` })),
  );
  // Each wire form in turn, on its own devices, through the same collector.
  const ingestRun = async (wire: WireForm, label: string, pid: number): Promise<Record<string, unknown>> => {
    // Encoded before the clock starts: the simulated stations' cost is not the collector's.
    const messages = Array.from({ length: batches }, (_, b) => {
      const m = stationBatch(
        `ing-${label}-${wire}-${b % DEVICES}`,
        Math.floor(b / DEVICES) + 1,
        INSTANTS,
        t0,
        wire,
      );
      return { topic: m.topic, payload: Buffer.from(m.payload) };
    });
    const payloadBytes = messages.reduce((n, m) => n + m.payload.length, 0);
    const written0 = await metric(metricsPort, 'xs_collector_points_written_total');
    const groups0 = await commitGroups(metricsPort);
    const routes0 = await routes(metricsPort);
    const cpu0 = cpuSeconds(pid);
    const others0 = othersCpuSeconds();
    let rssMax = 0;
    const sampler = setInterval(() => {
      metric(metricsPort, 'xs_collector_process_resident_memory_bytes').then(
        (v) => {
          rssMax = Math.max(rssMax, v);
        },
        () => undefined,
      );
    }, 250);
    const i0 = performance.now();
    await Promise.all(
      publishers.map(async (pub, p) => {
        for (let m = p; m < messages.length; m += publishers.length) {
          const msg = messages[m];
          if (msg) await pub.publishAsync(msg.topic, msg.payload, { qos: 1 });
        }
      }),
    );
    const publishedS = (performance.now() - i0) / 1000;
    const total = batches * INSTANTS;
    await until(
      'all points written',
      async () => (await metric(metricsPort, 'xs_collector_points_written_total')) - written0 >= total,
      300_000,
    );
    const ingestS = (performance.now() - i0) / 1000;
    clearInterval(sampler);
    const groups1 = await commitGroups(metricsPort);
    const routes1 = await routes(metricsPort);
    const routed = Object.fromEntries(
      Object.entries(routes1).map(([route, n]) => [route, n - (routes0[route] ?? 0)]),
    );
    const cpu1 = cpuSeconds(pid);
    const others1 = othersCpuSeconds();
    return {
      case: 'ingest-mqtt-collector',
      wire,
      db: 'victoria-metrics',
      points: total,
      messages: batches,
      pointsPerMessage: INSTANTS,
      bytesPerPoint: Math.round(payloadBytes / total),
      publishSeconds: +publishedS.toFixed(2),
      seconds: +ingestS.toFixed(2),
      pointsPerS: Math.round(total / ingestS),
      collectorRssMaxMB: Math.round(rssMax / 1e6),
      cpuSeconds: +(cpu1.process - cpu0.process).toFixed(2),
      ingestThreadCpuSeconds: +(cpu1.ingestThread - cpu0.ingestThread).toFixed(2),
      threadCpuSeconds: Object.fromEntries(
        Object.entries(cpu1.threads).map(([name, s]) => [name, +(s - (cpu0.threads[name] ?? 0)).toFixed(2)]),
      ),
      // The rest of the machine's work in the same window: publishers (this process), database, broker.
      otherCpuSeconds: {
        publishers: +(others1.publishers - others0.publishers).toFixed(2),
        database: +(others1.database - others0.database).toFixed(2),
        broker: +(others1.broker - others0.broker).toFixed(2),
      },
      commits: groups1.count - groups0.count,
      writeThroughRoutes: routed,
      messagesPerCommit: +((groups1.sum - groups0.sum) / Math.max(1, groups1.count - groups0.count)).toFixed(
        1,
      ),
    };
  };
  const runs: Array<Record<string, unknown>> = [];
  const ceilings = [ceilingBefore];
  let collector: CollectorProcess;
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
    for (const variant of order) {
      const { drainer, mode } = variant;
      writeConfig(variant);
      collector = spawnCollector(
        configFile,
        join(dir, `collector-${round}-${drainer}-${mode}.log`),
        collectorNodeArgs,
      );
      collectorChild = collector.child;
      await collector.logged('"msg":"subscribed"');
      if (drainer === 'worker') await collector.logged('"msg":"drain worker started"');
      for (const wire of WIRES)
        runs.push({
          ...(await ingestRun(wire, `${round}${drainer}${mode}`, collector.child.pid ?? 0)),
          drainer,
          mode,
          round,
          load: loadavg()[0],
        });
      collector.child.kill('SIGTERM');
      await collector.exited();
    }
    ceilings.push(ceilingRun(`ceil-r${round}`));
  }
  // One ceiling for every run (the best seen), so the modes' ratios compare directly.
  const ceiling = Math.max(...ceilings);
  for (const run of runs) emit({ ...run, ofCeiling: +(Number(run.pointsPerS) / ceiling).toFixed(2) });
  for (const wire of WIRES)
    for (const { drainer, mode } of VARIANTS) {
      const mine = runs.filter((r) => r.wire === wire && r.drainer === drainer && r.mode === mode);
      const rates = mine.map((r) => Number(r.pointsPerS)).sort((a, b) => a - b);
      const meanOf = (key: string): number =>
        +(mine.reduce((a, r) => a + Number(r[key]), 0) / Math.max(1, mine.length)).toFixed(2);
      const mean = rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length);
      emit({
        case: 'ingest-summary',
        wire,
        drainer,
        mode,
        ceilingPointsPerS: Math.round(ceiling),
        pointsPerS: rates,
        meanOfCeiling: +(mean / ceiling).toFixed(2),
        bestOfCeiling: +((rates[rates.length - 1] ?? 0) / ceiling).toFixed(2),
        cpuSeconds: meanOf('cpuSeconds'),
        ingestThreadCpuSeconds: meanOf('ingestThreadCpuSeconds'),
      });
    }
  writeConfig({ drainer: 'worker', mode: 'write-through' });
  collector = spawnCollector(configFile, join(dir, 'collector-outage.log'), collectorNodeArgs);
  collectorChild = collector.child;
  await collector.logged('"msg":"subscribed"');

  // One hour of a 220-device deployment (a reading set every 10 s) while the database is down.
  await vm.kill();
  const perDevice = 360;
  const outageBatch = 60;
  const o0 = performance.now();
  const outageMsgs: Array<{ topic: string; payload: string }> = [];
  for (let d = 0; d < OUTAGE_DEVICES; d++) {
    for (let s = 0; s < perDevice / outageBatch; s++)
      outageMsgs.push(stationBatch(`out-${d}`, s + 1, outageBatch, Date.now() - 3_600_000, 'columns'));
  }
  await Promise.all(
    publishers.map(async (pub, p) => {
      for (let m = p; m < outageMsgs.length; m += publishers.length) {
        const msg = outageMsgs[m];
        if (msg) await pub.publishAsync(msg.topic, msg.payload, { qos: 1 });
      }
    }),
  );
  const outagePoints = OUTAGE_DEVICES * perDevice;
  await until(
    'outage points queued',
    async () => (await metric(metricsPort, 'xs_collector_outbox_points')) >= outagePoints,
    120_000,
  );
  const queuedS = (performance.now() - o0) / 1000;
  const before = await metric(metricsPort, 'xs_collector_points_written_total');
  // Restart the collector too, so the drain starts from the on-disk outbox.
  collector.child.kill('SIGTERM');
  await collector.exited();
  await vm.restart();
  collector = spawnCollector(configFile, join(dir, 'collector-2.log'));
  collectorChild = collector.child;
  await collector.logged('"msg":"collector started"');
  const d0 = performance.now();
  await until(
    'outbox drained',
    async () =>
      (await metric(metricsPort, 'xs_collector_outbox_points').catch(() => 1)) === 0 &&
      (await metric(metricsPort, 'xs_collector_points_written_total')) > 0,
    300_000,
  );
  const drainS = (performance.now() - d0) / 1000;
  emit({
    case: 'outbox-drain-after-1h-outage',
    db: 'victoria-metrics',
    devices: OUTAGE_DEVICES,
    points: outagePoints,
    values: outagePoints * CHANNELS.length,
    queueSeconds: +queuedS.toFixed(2),
    drainSeconds: +drainS.toFixed(2),
    pointsPerS: Math.round(outagePoints / drainS),
    writtenBeforeOutage: before,
  });
  await until(
    'drained points searchable',
    async () => (await vmCount(vm.url, 'out-0')) === perDevice,
    30_000,
  ).catch(() => undefined);
  emit({
    case: 'outbox-drain-check',
    device: 'out-0',
    pointsInDb: await vmCount(vm.url, 'out-0'),
    expected: perDevice,
  });
  collector.child.kill('SIGTERM');
  await collector.exited();
} catch (err) {
  collectorChild?.kill('SIGKILL');
  process.stderr.write(`${(err as Error).message}\ncollector log: ${dir}/collector.log\n`);
  process.exitCode = 1;
} finally {
  for (const pub of publishers) await pub.endAsync(true);
  await broker.stop();
  await vm.stop();
  if (process.exitCode !== 1) rmSync(dir, { recursive: true, force: true });
}
