import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { logTail } from '../../harness/index.js';
import { intArg, parseArgs, percentile } from './bench-args.js';
import { type BrokerKind, cpuSeconds, rssMiB, startBenchBroker } from './bench-brokers.js';
import type { BenchJob, BenchReport } from './bench-clients.js';

const CLIENTS_SCRIPT = fileURLToPath(new URL('./bench-clients.ts', import.meta.url));
/** Subscribers per process, so 10,000 subscribers spread over a few processes. */
const PER_PROCESS = 2500;

export type SubscriberKind = 'raw' | 'mqttjs';

export interface FanoutResult {
  bench: 'fanout';
  broker: BrokerKind;
  client: SubscriberKind;
  delivery: 'direct' | 'stock' | 'n/a';
  baseline: boolean;
  clients: number;
  rounds: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  rss_mb_broker: number;
  bytes_per_conn: number;
  /** CPU (user + system, all threads) per round while the rounds ran: the broker's, and all subscribers'. */
  broker_cpu_ms_per_round: number;
  subscribers_cpu_ms_per_round: number;
  /** 1-minute load average when the run started and when it ended (the machine is shared). */
  load_start: number;
  load_end: number;
}

function spawnClients(job: BenchJob): { child: ChildProcess; ready: Promise<void> } {
  const child = fork(CLIENTS_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: BenchReport) => {
      if (m.type === 'ready') resolve();
    });
    child.once('exit', (code) => reject(new Error(`bench clients exited with ${code}`)));
  });
  child.send(job);
  return { child, ready };
}

/** Longest wait for every subscriber to have one round's message. */
const ROUND_TIMEOUT_MS = 60_000;

/**
 * The latest receive time of `round` over all subscriber processes. On a timeout the error says how many
 * subscribers each process had heard from, which tells a lost publish (none) from lost subscribers (some).
 */
async function awaitRound(children: ChildProcess[], round: number, timeoutMs: number): Promise<number> {
  const listeners: Array<[ChildProcess, (m: BenchReport) => void]> = [];
  const onReport = (child: ChildProcess, type: BenchReport['type']) =>
    new Promise<BenchReport>((resolve) => {
      const listener = (m: BenchReport) => {
        if (m.type === type && 'round' in m && m.round === round) {
          child.off('message', listener);
          resolve(m);
        }
      };
      listeners.push([child, listener]);
      child.on('message', listener);
    });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const all = Promise.all(children.map((c) => onReport(c, 'round')));
  const outcome = await Promise.race([all, timedOut]);
  clearTimeout(timer);
  for (const [child, listener] of listeners) child.off('message', listener);
  if (outcome !== 'timeout')
    return Math.max(...outcome.map((r) => (r.type === 'round' ? r.lastAt : Number.NaN)));
  const counts = await Promise.all(
    children.map((c) => {
      const answer = onReport(c, 'count');
      c.send({ type: 'count', round });
      return Promise.race([answer, sleep(5_000).then(() => undefined)]);
    }),
  );
  const heard = counts.map((r, p) =>
    r?.type === 'count' ? `process ${p}: ${r.received} of ${r.connected}` : `process ${p}: no answer`,
  );
  throw new Error(
    `round ${round}: not every subscriber received within ${timeoutMs} ms (${heard.join(', ')})`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export async function fanout(opts: {
  clients: number;
  broker: BrokerKind;
  client?: SubscriberKind;
  /** Ours only: `stock` = aedes' own delivery path to clean sessions, the comparison for `direct`. */
  delivery?: 'direct' | 'stock';
  rounds: number;
  baseline?: boolean;
}): Promise<FanoutResult> {
  const client = opts.client ?? 'raw';
  const loadStart = loadavg()[0] ?? Number.NaN;
  const broker = await startBenchBroker(opts.broker, 1, opts.baseline, false, opts.delivery === 'stock');
  const children: ChildProcess[] = [];
  try {
    const source = broker.publishers[0];
    if (!source) throw new Error('no publisher identity');
    // Warm the broker (JIT, persistence, first login) so the RSS delta is the subscribers' connections.
    const publisher = await mqtt.connectAsync(broker.url, { ...source, reconnectPeriod: 0 });
    await publisher.publishAsync(source.topic, 'warm-up', { qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    const rssBefore = await rssMiB(broker.pid);
    const procs = Math.ceil(opts.clients / PER_PROCESS);
    const spawned = Array.from({ length: procs }, (_, p) => {
      const count = Math.min(PER_PROCESS, opts.clients - p * PER_PROCESS);
      return spawnClients({
        mode: 'subscribe',
        url: broker.url,
        count,
        clientIdPrefix: `${broker.subscriber.clientIdPrefix}${p}-`,
        username: broker.subscriber.username,
        password: broker.subscriber.password,
        topic: source.topic,
        qos: 1,
        client,
      });
    });
    children.push(...spawned.map((s) => s.child));
    await Promise.all(spawned.map((s) => s.ready));
    await new Promise((r) => setTimeout(r, 500));
    const rssAfter = await rssMiB(broker.pid);

    const cpuOf = async (pids: number[]) =>
      (await Promise.all(pids.map((pid) => cpuSeconds(pid)))).reduce((a, b) => a + b, 0);
    const subscriberPids = children.map((c) => c.pid ?? 0);
    const [brokerCpuBefore, subscribersCpuBefore] = [await cpuOf([broker.pid]), await cpuOf(subscriberPids)];
    const latencies: number[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      const sentAt = performance.timeOrigin + performance.now();
      let acked = 'no PUBACK yet';
      publisher.publishAsync(source.topic, String(round), { qos: 1 }).then(
        () => {
          acked = 'PUBACK received';
        },
        (err: Error) => {
          acked = `publish failed: ${err.message}`;
        },
      );
      const lastAt = await awaitRound(children, round, ROUND_TIMEOUT_MS).catch(async (err: Error) => {
        const log = logTail(broker.logFile, 20);
        throw new Error(`${err.message}; publisher: ${acked}, connected ${publisher.connected}\n${log}`);
      });
      latencies.push(lastAt - sentAt);
      await new Promise((r) => setTimeout(r, 50));
    }
    const perRound = (seconds: number) => Math.round((seconds * 1000) / opts.rounds);
    const brokerCpu = perRound((await cpuOf([broker.pid])) - brokerCpuBefore);
    const subscribersCpu = perRound((await cpuOf(subscriberPids)) - subscribersCpuBefore);
    await publisher.endAsync();
    const sorted = [...latencies].sort((a, b) => a - b);
    const round2 = (n: number) => Math.round(n * 100) / 100;
    return {
      bench: 'fanout',
      broker: opts.broker,
      client,
      delivery: opts.broker === 'ours' ? (opts.delivery ?? 'direct') : 'n/a',
      baseline: opts.baseline ?? false,
      clients: opts.clients,
      rounds: opts.rounds,
      p50_ms: round2(percentile(sorted, 50)),
      p99_ms: round2(percentile(sorted, 99)),
      max_ms: round2(sorted.at(-1) ?? Number.NaN),
      rss_mb_broker: round2(rssAfter),
      bytes_per_conn: Math.round(((rssAfter - rssBefore) * 1024 * 1024) / opts.clients),
      broker_cpu_ms_per_round: brokerCpu,
      subscribers_cpu_ms_per_round: subscribersCpu,
      load_start: round2(loadStart),
      load_end: round2(loadavg()[0] ?? Number.NaN),
    };
  } finally {
    // Subscribers first: a broker closing under them would look to them like a lost connection.
    await Promise.all(children.map((c) => stopChild(c)));
    await broker.stop();
  }
}

export async function run(args: string[]): Promise<void> {
  const a = parseArgs(args);
  const brokerArg = a.get('broker') ?? 'ours';
  if (brokerArg !== 'ours' && brokerArg !== 'mosquitto')
    throw new Error('--broker must be ours or mosquitto');
  const clientArg = a.get('client') ?? 'raw';
  if (clientArg !== 'raw' && clientArg !== 'mqttjs') throw new Error('--client must be raw or mqttjs');
  const deliveryArg = a.get('delivery') ?? 'direct';
  if (deliveryArg !== 'direct' && deliveryArg !== 'stock')
    throw new Error('--delivery must be direct or stock');
  const result = await fanout({
    clients: intArg(a, 'clients', 200),
    rounds: intArg(a, 'rounds', 50),
    broker: brokerArg,
    client: clientArg,
    delivery: deliveryArg,
    baseline: a.get('baseline') === 'true',
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
