// Emergency fan-out: from the API call until every cluster of the area acknowledged, against the same
// round trip without the console (an unsigned probe published straight to the group topic).
// `npx tsx tests/bench/console-broadcast/emergency.ts [--clusters 200] [--rounds 30]`; prints JSON lines.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AckSchema, filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { provinceTree } from '../../integration/console-broadcast/areas.js';
import { audioItem, startStack } from '../../integration/console-broadcast/stack.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const clusters = option('clusters', 200);
const rounds = option('rounds', 30);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round((s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0) * 10) / 10;
  return { p50_ms: at(50), p99_ms: at(99), max_ms: at(100) };
}

const stack = await startStack({ broker: 'mosquitto', areas: provinceTree() });
const warning = audioItem('Cảnh báo', 30_000);
stack.audio.set(warning.id, warning);
for (let i = 0; i < clusters; i++) stack.place(`loa-${String(i).padStart(5, '0')}`, 'xa-a');
const keyFile = join(stack.ctx.dataDir, 'public.pem');
await writeFile(keyFile, stack.ctx.signer.publicKeyPem);
const fleet = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'tests/bench/console-broadcast/fleet.ts',
    stack.mqttUrl,
    String(clusters),
    keyFile,
    'xa-a',
  ],
  {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
await new Promise<void>((resolve, reject) => {
  fleet.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
  fleet.once('exit', (code) => reject(new Error(`fleet exited with ${code}`)));
});

// Baseline: a bare client publishes a probe and counts acks itself.
const probe = await mqtt.connectAsync(stack.mqttUrl, { clientId: 'console-bench-probe', reconnectPeriod: 0 });
const waiting = new Map<string, { left: number; done: () => void }>();
probe.on('message', (_t, payload) => {
  const ack = AckSchema.safeParse(JSON.parse(payload.toString('utf8')));
  if (!ack.success || ack.data.ref.kind !== 'command') return;
  const w = waiting.get(ack.data.ref.commandId);
  if (w && --w.left === 0) w.done();
});
await probe.subscribeAsync(filters.allAcks, { qos: 1 });

const baseline: number[] = [];
const api: number[] = [];
for (let r = 0; r < rounds; r++) {
  const id = randomUUID();
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    waiting.set(id, { left: clusters, done: resolve });
    probe.publish(topics.groupCommand('xa-a'), JSON.stringify({ probe: id }), { qos: 1 });
  });
  baseline.push(performance.now() - t0);

  const t1 = performance.now();
  const res = await stack.call('admin', 'POST', '/broadcasts/emergency', {
    targets: [{ kind: 'area', areaId: 'xa-a' }],
    playlist: [warning.id],
  });
  const { id: broadcastId } = (await res.json()) as { id: string };
  await new Promise<void>((resolve) => {
    const check = () => {
      if (stack.broadcasting.tracker.delivered(broadcastId)) {
        unwatch();
        resolve();
      }
    };
    const unwatch = stack.broadcasting.tracker.watch(broadcastId, check);
    check();
  });
  api.push(performance.now() - t1);
}
const common = { bench: 'console-emergency', broker: 'mosquitto', clusters, rounds };
process.stdout.write(`${JSON.stringify({ ...common, path: 'baseline-probe', ...percentiles(baseline) })}\n`);
process.stdout.write(`${JSON.stringify({ ...common, path: 'api-to-all-acked', ...percentiles(api) })}\n`);
await probe.endAsync();
fleet.stdin.end();
await stack.close();
process.exit(0);
