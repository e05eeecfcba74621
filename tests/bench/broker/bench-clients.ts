// Child process of the broker benchmarks: holds the simulated clients so the broker process is measured alone.
// Talks to the parent over IPC; receive times use performance.timeOrigin + now() (shared wall clock, sub-ms).
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { z } from 'zod';

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
  | { type: 'published'; sent: number };

const now = () => performance.timeOrigin + performance.now();
const send = (r: BenchReport) => process.send?.(r);

async function connectMany(
  n: number,
  make: (i: number) => Promise<MqttClient>,
  parallel = 200,
): Promise<MqttClient[]> {
  const out: MqttClient[] = [];
  for (let i = 0; i < n; i += parallel)
    out.push(
      ...(await Promise.all(Array.from({ length: Math.min(parallel, n - i) }, (_, k) => make(i + k)))),
    );
  return out;
}

async function subscribe(job: Extract<BenchJob, { mode: 'subscribe' }>): Promise<void> {
  const rounds = new Map<number, { received: number; lastAt: number }>();
  const clients = await connectMany(job.count, async (i) => {
    const c = await mqtt.connectAsync(job.url, {
      clientId: `${job.clientIdPrefix}${i}`,
      username: job.username,
      password: job.password,
      reconnectPeriod: 0,
      connectTimeout: 60_000,
      keepalive: 300,
    });
    c.on('message', (_t, payload) => {
      const at = now();
      const round = Number(payload.toString('utf8'));
      const r = rounds.get(round) ?? { received: 0, lastAt: 0 };
      r.received++;
      r.lastAt = Math.max(r.lastAt, at);
      rounds.set(round, r);
      if (r.received === job.count) send({ type: 'round', round, received: r.received, lastAt: r.lastAt });
    });
    await c.subscribeAsync(job.topic, { qos: job.qos });
    return c;
  });
  send({ type: 'ready', connected: clients.length });
  process.on('disconnect', () => process.exit(0));
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
