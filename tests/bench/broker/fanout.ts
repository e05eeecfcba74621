import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { intArg, parseArgs, percentile } from './bench-args.js';
import { type BrokerKind, rssMiB, startBenchBroker } from './bench-brokers.js';
import type { BenchJob, BenchReport } from './bench-clients.js';

const CLIENTS_SCRIPT = fileURLToPath(new URL('./bench-clients.ts', import.meta.url));
/** mqtt.js clients per subscriber process, so 10,000 subscribers spread over a few processes. */
const PER_PROCESS = 2500;

export interface FanoutResult {
  bench: 'fanout';
  broker: BrokerKind;
  baseline: boolean;
  clients: number;
  rounds: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  rss_mb_broker: number;
  bytes_per_conn: number;
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

export async function fanout(opts: {
  clients: number;
  broker: BrokerKind;
  rounds: number;
  baseline?: boolean;
}): Promise<FanoutResult> {
  const broker = await startBenchBroker(opts.broker, 1, opts.baseline);
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
      });
    });
    children.push(...spawned.map((s) => s.child));
    await Promise.all(spawned.map((s) => s.ready));
    await new Promise((r) => setTimeout(r, 500));
    const rssAfter = await rssMiB(broker.pid);

    const latencies: number[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      const reports = spawned.map(
        ({ child }) =>
          new Promise<number>((resolve) => {
            const onMessage = (m: BenchReport) => {
              if (m.type === 'round' && m.round === round) {
                child.off('message', onMessage);
                resolve(m.lastAt);
              }
            };
            child.on('message', onMessage);
          }),
      );
      const sentAt = performance.timeOrigin + performance.now();
      publisher.publish(source.topic, String(round), { qos: 1 });
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`round ${round}: not every subscriber received within 60 s`)),
          60_000,
        ),
      );
      const lastAt = Math.max(...(await Promise.race([Promise.all(reports), timeout])));
      latencies.push(lastAt - sentAt);
      await new Promise((r) => setTimeout(r, 50));
    }
    await publisher.endAsync();
    const sorted = [...latencies].sort((a, b) => a - b);
    const round2 = (n: number) => Math.round(n * 100) / 100;
    return {
      bench: 'fanout',
      broker: opts.broker,
      baseline: opts.baseline ?? false,
      clients: opts.clients,
      rounds: opts.rounds,
      p50_ms: round2(percentile(sorted, 50)),
      p99_ms: round2(percentile(sorted, 99)),
      max_ms: round2(sorted.at(-1) ?? Number.NaN),
      rss_mb_broker: round2(rssAfter),
      bytes_per_conn: Math.round(((rssAfter - rssBefore) * 1024 * 1024) / opts.clients),
    };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await broker.stop();
  }
}

export async function run(args: string[]): Promise<void> {
  const a = parseArgs(args);
  const brokerArg = a.get('broker') ?? 'ours';
  if (brokerArg !== 'ours' && brokerArg !== 'mosquitto')
    throw new Error('--broker must be ours or mosquitto');
  const result = await fanout({
    clients: intArg(a, 'clients', 200),
    rounds: intArg(a, 'rounds', 50),
    broker: brokerArg,
    baseline: a.get('baseline') === 'true',
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
