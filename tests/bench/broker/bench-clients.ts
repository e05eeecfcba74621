// Child process of the broker benchmarks: holds the simulated clients so the broker process is measured alone.
// Talks to the parent over IPC; receive times use performance.timeOrigin + now() (shared wall clock, sub-ms).
import mqtt from 'mqtt';
import { z } from 'zod';
import { type RawSubscriber, connectRawSubscriber } from './raw-subscriber.js';

const JobSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('subscribe'),
    url: z.string(),
    count: z.number().int().positive(),
    clientIdPrefix: z.string(),
    username: z.string().optional(),
    password: z.string().optional(),
    topic: z.string(),
    qos: z.union([z.literal(0), z.literal(1)]),
    /** raw: the bare node:net subscriber (raw-subscriber.ts); mqttjs: mqtt.js clients, for comparison. */
    client: z.enum(['raw', 'mqttjs']).default('raw'),
  }),
  z.object({
    mode: z.literal('publish'),
    url: z.string(),
    publishers: z.array(
      z.object({
        clientId: z.string(),
        username: z.string().optional(),
        password: z.string().optional(),
        topic: z.string(),
      }),
    ),
    qos: z.union([z.literal(0), z.literal(1)]),
    seconds: z.number().positive(),
    window: z.number().int().positive(),
  }),
]);
export type BenchJob = z.infer<typeof JobSchema>;

export type BenchReport =
  | { type: 'ready'; connected: number }
  | { type: 'round'; round: number; received: number; lastAt: number }
  | { type: 'count'; round: number; received: number; connected: number }
  | { type: 'published'; sent: number };

const now = () => performance.timeOrigin + performance.now();
const send = (r: BenchReport) => process.send?.(r);

async function connectMany<C>(n: number, make: (i: number) => Promise<C>, parallel = 200): Promise<C[]> {
  const out: C[] = [];
  for (let i = 0; i < n; i += parallel)
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, (_, k) => make(i + k)))),
    );
  return out;
}

type SubscribeJob = Extract<BenchJob, { mode: 'subscribe' }>;

const rounds = new Map<number, { received: number; lastAt: number }>();

/** Counts one round's arrivals and reports the round once every subscriber of this process has it. */
function roundCounter(expected: number): (payload: Buffer, at: number) => void {
  return (payload, at) => {
    const round = Number(payload.toString('utf8'));
    const r = rounds.get(round) ?? { received: 0, lastAt: 0 };
    r.received++;
    r.lastAt = Math.max(r.lastAt, at);
    rounds.set(round, r);
    if (r.received === expected) send({ type: 'round', round, received: r.received, lastAt: r.lastAt });
  };
}

const KEEPALIVE_S = 300;

async function subscribeMqttjs(job: SubscribeJob, count: (payload: Buffer, at: number) => void) {
  return connectMany(job.count, async (i) => {
    const c = await mqtt.connectAsync(job.url, {
      clientId: `${job.clientIdPrefix}${i}`,
      username: job.username,
      password: job.password,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
      keepalive: KEEPALIVE_S,
    });
    c.on('message', (_t, payload) => count(payload, now()));
    c.on('close', () => lost(new Error(`${job.clientIdPrefix}${i}: connection closed`)));
    await c.subscribeAsync(job.topic, { qos: job.qos });
    return c;
  });
}

async function subscribeRaw(job: SubscribeJob, count: (payload: Buffer, at: number) => void) {
  const url = new URL(job.url);
  const clients = await connectMany<RawSubscriber>(job.count, (i) =>
    connectRawSubscriber({
      host: url.hostname,
      port: Number(url.port || 1883),
      clientId: `${job.clientIdPrefix}${i}`,
      username: job.username,
      password: job.password,
      topic: job.topic,
      qos: job.qos,
      keepaliveSeconds: KEEPALIVE_S,
      connectTimeoutMs: 60_000,
      onPublish: (publish, at) => count(publish.payload, at),
      onLost: lost,
    }),
  );
  // Idle clients ping at half the keep-alive; during rounds their PUBACKs already count as traffic.
  const idleMs = (KEEPALIVE_S * 1000) / 2;
  setInterval(() => {
    const t = Date.now();
    for (const c of clients) c.pingIfIdle(idleMs, t);
  }, 5_000).unref();
  return clients;
}

/** A subscriber lost mid-run would leave a round waiting for ever: fail the bench at once, saying why. */
function lost(err: Error): void {
  process.stderr.write(`bench clients: subscriber lost: ${err.message}\n`);
  process.exit(1);
}

async function subscribe(job: SubscribeJob): Promise<void> {
  const count = roundCounter(job.count);
  const clients = job.client === 'raw' ? await subscribeRaw(job, count) : await subscribeMqttjs(job, count);
  send({ type: 'ready', connected: clients.length });
  // A round that timed out: the parent asks how far it got here, to say which side lost it.
  process.on('message', (m: unknown) => {
    const ask = z.object({ type: z.literal('count'), round: z.number() }).safeParse(m);
    if (ask.success) {
      const { round } = ask.data;
      send({ type: 'count', round, received: rounds.get(round)?.received ?? 0, connected: clients.length });
    }
  });
  const stop = () => process.exit(0);
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
}

async function publish(job: Extract<BenchJob, { mode: 'publish' }>): Promise<void> {
  const clients = await connectMany(job.publishers.length, (i) => {
    const p = job.publishers[i];
    return mqtt.connectAsync(job.url, {
      clientId: p?.clientId,
      username: p?.username,
      password: p?.password,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
    });
  });
  send({ type: 'ready', connected: clients.length });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const end = Date.now() + job.seconds * 1000;
  let sent = 0;
  const payload = JSON.stringify({ v: 1, readings: [{ q: 'pm25', v: 12.5 }] });
  await Promise.all(
    clients.map(async (c, i) => {
      const topic = job.publishers[i]?.topic ?? '';
      const inflight = new Set<Promise<unknown>>();
      while (Date.now() < end) {
        const p = c.publishAsync(topic, payload, { qos: job.qos }).then(() => {
          sent++;
          inflight.delete(p);
        });
        inflight.add(p);
        if (inflight.size >= job.window) await Promise.race(inflight);
      }
      await Promise.all(inflight);
    }),
  );
  send({ type: 'published', sent });
  await new Promise((r) => setTimeout(r, 200));
  process.exit(0);
}

process.once('message', (raw) => {
  const job = JobSchema.parse(raw);
  (job.mode === 'subscribe' ? subscribe(job) : publish(job)).catch((err: unknown) => {
    process.stderr.write(`bench clients failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
});
