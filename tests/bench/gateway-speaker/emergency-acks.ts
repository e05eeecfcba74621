// Emergency on a group topic to N in-process speaker gateways: time from publish to each cluster's `received`
// and `playing` ack at the console, against a baseline of N bare MQTT clients that ack on receipt (no
// verification, no disk queue). Gateways run with data dirs on disk and on tmpfs (/dev/shm).
// usage: npx tsx tests/bench/gateway-speaker/emergency-acks.ts [--clusters 50] [--rounds 3]
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AckSchema, filters, topics } from '@xaso/device-profiles/contract';
import { ClockPlayer, type Gateway, NullAmplifier, createSpeakerGateway } from '@xaso/gateway-firmware-ts';
import mqtt, { type MqttClient } from 'mqtt';
import { startMosquitto, tempDir } from '../../harness/index.js';
import { speakerConfig } from '../../integration/gateway-speaker/speaker-fixture.js';
import { DiskAudio } from '../../unit/gateway-speaker/parts.js';
import { signedCommand } from '../../unit/gateway-speaker/role-harness.js';

const { values } = parseArgs({
  options: { clusters: { type: 'string', default: '50' }, rounds: { type: 'string', default: '3' } },
});
const N = Number(values.clusters);
const ROUNDS = Number(values.rounds);
const GROUP = 'xa-bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
}

// TCP_NODELAY on the broker: without it Mosquitto's Nagle adds tens of ms to every small forwarded ack.
const mosquitto = await startMosquitto({ extraConfig: 'max_queued_messages 10000\nset_tcp_nodelay true' });
const operator = await mqtt.connectAsync(mosquitto.url, { clientId: 'bench-console' });
await operator.subscribeAsync(filters.allAcks, { qos: 1 });
const seen = new Map<string, number>();
operator.on('message', (_topic, payload) => {
  const ack = AckSchema.safeParse(JSON.parse(payload.toString()));
  if (ack.success && ack.data.ref.kind === 'command')
    seen.set(`${ack.data.deviceId}:${ack.data.ref.commandId}:${ack.data.status}`, Date.now());
});

const audio = new DiskAudio(await tempDir('xs-bench-audio-'));
const item = audio.add('siren', 300);

async function measure(label: string, ids: string[], statuses: string[]): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    const cmd = signedCommand(
      { type: 'play', broadcastId: `storm-${round}`, priority: 'emergency', playlist: [item] },
      { target: { kind: 'group', groupId: GROUP } },
    );
    const sentAt = Date.now();
    await operator.publishAsync(topics.groupCommand(GROUP), JSON.stringify(cmd), { qos: 1 });
    const deadline = Date.now() + 20_000;
    const keys = ids.flatMap((id) => statuses.map((s) => `${id}:${cmd.id}:${s}`));
    while (keys.some((k) => !seen.has(k)) && Date.now() < deadline) await sleep(5);
    for (const status of statuses) {
      const ms = ids.map((id) => (seen.get(`${id}:${cmd.id}:${status}`) ?? Number.NaN) - sentAt);
      const missing = ms.filter(Number.isNaN).length;
      const got = ms.filter((x) => !Number.isNaN(x));
      process.stdout.write(
        `${JSON.stringify({ bench: 'speaker-emergency-acks', variant: label, clusters: N, round, status, p50: quantile(got, 0.5), p99: quantile(got, 0.99), max: Math.max(...got), missing })}\n`,
      );
    }
    await sleep(800);
  }
}

// Baseline: bare clients that ack on receipt.
const bare: MqttClient[] = [];
for (let i = 0; i < N; i++) {
  const id = `bare-${i}`;
  const client = await mqtt.connectAsync(mosquitto.url, { clientId: id });
  await client.subscribeAsync(topics.groupCommand(GROUP), { qos: 1 });
  client.on('message', (_t, payload) => {
    const { id: commandId } = JSON.parse(payload.toString()) as { id: string };
    const ack = {
      v: 1,
      deviceId: id,
      ref: { kind: 'command', commandId },
      status: 'received',
      ts: Date.now(),
    };
    void client.publishAsync(topics.ack(id), JSON.stringify(ack), { qos: 1 });
  });
  bare.push(client);
}
await measure(
  'baseline bare mqtt clients',
  bare.map((_, i) => `bare-${i}`),
  ['received'],
);
await Promise.all(bare.map((c) => c.endAsync()));

for (const [label, root] of [
  ['gateways, data on disk', tmpdir()],
  ['gateways, data on tmpfs', '/dev/shm'],
] as const) {
  const gateways: Gateway[] = [];
  const ids = Array.from({ length: N }, (_, i) => `spk-${i}`);
  for (const id of ids) {
    const dataDir = await mkdtemp(join(root, 'xs-bench-spk-'));
    const config = await speakerConfig({
      deviceId: id,
      mqttUrl: mosquitto.url,
      groups: [GROUP],
      dataDir,
      statusIntervalS: 60,
    });
    const gateway = createSpeakerGateway(
      config,
      {
        player: new ClockPlayer({ maxRecords: 10 }),
        audio,
        amplifier: new NullAmplifier(),
      },
      { timing: { amplifierWarmupMs: 0 } },
    );
    await gateway.start();
    gateways.push(gateway);
  }
  while (gateways.some((g) => !g.link.connected)) await sleep(50);
  await sleep(500);
  await measure(label, ids, ['received', 'playing']);
  await Promise.all(gateways.map((g) => g.stop()));
}

const totals: Record<string, number> = {};
for (const key of seen.keys()) {
  const status = key.split(':').at(-1) ?? '';
  totals[status] = (totals[status] ?? 0) + 1;
}
process.stdout.write(`${JSON.stringify({ bench: 'speaker-emergency-acks', acksSeen: totals })}\n`);
await operator.endAsync();
await mosquitto.stop();
