import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { filters } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { intArg, parseArgs } from './bench-args.js';
import { type BrokerKind, cpuSeconds, rssMiB, startBenchBroker } from './bench-brokers.js';
import type { BenchJob, BenchReport } from './bench-clients.js';

const CLIENTS_SCRIPT = fileURLToPath(new URL('./bench-clients.ts', import.meta.url));

export interface TelemetryResult {
  bench: 'telemetry';
  broker: BrokerKind;
  publishers: number;
  qos: 0 | 1;
  /** The collector's session: persistent (clean=false, as the real collector) or clean. */
  session: 'persistent' | 'clean';
  /** Ours only: `stock` = aedes-persistence-level's own in-flight calls, `journal` = our outgoing journal. */
  storage: 'journal' | 'stock';
  seconds: number;
  sent: number;
  received: number;
  msgs_per_s: number;
  /** Broker CPU (all its threads) in microseconds per message received: comparable across runs on a loaded machine. */
  broker_cpu_us_per_msg: number;
  rss_mb_broker: number;
}

/** Publishers (a separate process) send telemetry as fast as their window allows; one collector counts arrivals. */
export async function telemetry(opts: {
  publishers: number;
  qos: 0 | 1;
  seconds: number;
  broker: BrokerKind;
  session: 'persistent' | 'clean';
  storage: 'journal' | 'stock';
}): Promise<TelemetryResult> {
  const broker = await startBenchBroker(opts.broker, opts.publishers, false, opts.storage === 'stock');
  const child = fork(CLIENTS_SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const collector = await mqtt.connectAsync(broker.url, {
      clientId: `${broker.subscriber.clientIdPrefix}telemetry`,
      username: broker.subscriber.username,
      password: broker.subscriber.password,
      reconnectPeriod: 0,
      clean: opts.session === 'clean',
    });
    await collector.subscribeAsync(filters.allTelemetry, { qos: opts.qos });
    let received = 0;
    let cpuBefore = 0;
    let firstAt = 0;
    let lastAt = 0;
    collector.on('message', () => {
      const t = performance.now();
      if (received === 0) firstAt = t;
      lastAt = t;
      received++;
    });
    const reports = new Promise<{ sent: number }>((resolve, reject) => {
      child.on('message', (m: BenchReport) => {
        // Counted from here: the publishers' logins (scrypt) are not the delivery path being compared.
        if (m.type === 'ready')
          void cpuSeconds(broker.pid).then((cpu) => {
            cpuBefore = cpu;
            child.send('go');
          });
        if (m.type === 'published') resolve({ sent: m.sent });
      });
      child.once('exit', (code) => code !== 0 && reject(new Error(`publishers exited with ${code}`)));
    });
    const job: BenchJob = {
      mode: 'publish',
      url: broker.url,
      publishers: broker.publishers,
      qos: opts.qos,
      seconds: opts.seconds,
      window: 10,
    };
    child.send(job);
    const { sent } = await reports;
    await new Promise((r) => setTimeout(r, 1000));
    const cpu = (await cpuSeconds(broker.pid)) - cpuBefore;
    const rss = await rssMiB(broker.pid);
    await collector.endAsync();
    const span = Math.max((lastAt - firstAt) / 1000, opts.seconds);
    return {
      bench: 'telemetry',
      broker: opts.broker,
      publishers: opts.publishers,
      qos: opts.qos,
      session: opts.session,
      storage: opts.storage,
      seconds: opts.seconds,
      sent,
      received,
      msgs_per_s: Math.round(received / span),
      broker_cpu_us_per_msg: Math.round((cpu * 1e6) / Math.max(received, 1)),
      rss_mb_broker: Math.round(rss * 100) / 100,
    };
  } finally {
    child.kill('SIGTERM');
    await broker.stop();
  }
}

export async function run(args: string[]): Promise<void> {
  const a = parseArgs(args);
  const brokerArg = a.get('broker') ?? 'ours';
  if (brokerArg !== 'ours' && brokerArg !== 'mosquitto')
    throw new Error('--broker must be ours or mosquitto');
  const qos = a.get('qos') ?? '0';
  if (qos !== '0' && qos !== '1') throw new Error('--qos must be 0 or 1');
  const session = a.get('session') ?? 'persistent';
  if (session !== 'persistent' && session !== 'clean')
    throw new Error('--session must be persistent or clean');
  const storage = a.get('storage') ?? 'journal';
  if (storage !== 'journal' && storage !== 'stock') throw new Error('--storage must be journal or stock');
  const result = await telemetry({
    publishers: intArg(a, 'publishers', 200),
    qos: qos === '1' ? 1 : 0,
    seconds: intArg(a, 'seconds', 10),
    broker: brokerArg,
    session,
    storage,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
