// Backlog drain after a simulated 1-hour outage at 10 devices / 10 s (3,600 batches) to a real broker.
// usage: npx tsx tests/bench/gateway/drain.ts [--batches 3600] [--rate 10000] [--in-flight 50]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getProfile, sensorRegisters } from '@xaso/device-profiles';
import type { Reading } from '@xaso/device-profiles/contract';
import { Outbox } from '@xaso/gateway-firmware-ts';
import { MessageSink } from '../../../gateway-firmware-ts/src/core/message-sink.js';
import { startMosquitto, tempDir } from '../../harness/index.js';
import { Capture } from '../../integration/gateway/capture.js';
import { GatewayProcess } from '../../integration/gateway/gateway-process.js';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '3600' },
    rate: { type: 'string', default: '10000' },
    'in-flight': { type: 'string', default: '50' },
  },
});
const total = Number(values.batches);
const dir = await tempDir('xs-gw-bench-drain-');
const dataDir = join(dir, 'data');

// Fill the queue the way the gateway does: air-station batches of 10 readings, 10 s apart per device.
const outbox = new Outbox({ file: join(dataDir, 'queue.sqlite'), diskBudgetBytes: 1e9 });
const sink = new MessageSink('gw-drain', outbox, 500);
const regs = sensorRegisters(getProfile('air-station-aqms'));
const start = Date.now() - 3600_000;
for (let i = 0; i < total; i++) {
  const ts = start + Math.floor(i / 10) * 10_000;
  const readings: Reading[] = regs.map((r) => ({
    source: `dev-${i % 10}`,
    channel: r.channel ?? r.name,
    value: 12.5,
    unit: r.unit,
    ts,
    quality: 'good',
  }));
  sink.readings(readings, ts);
}
const bytes = outbox.bytes;
outbox.close();

const mosquitto = await startMosquitto();
const capture = await Capture.start(mosquitto.url, 'gw-drain');
const gateway = new GatewayProcess(join(dir, 'gateway.json'), join(dir, 'gateway.log'));
gateway.writeConfig({
  deviceId: 'gw-drain',
  mqtt: { url: mosquitto.url },
  dataDir,
  devices: [],
  queue: { drainRatePerSecond: Number(values.rate), maxInFlight: Number(values['in-flight']) },
});
gateway.start();
await capture.until('first backlog batch', () => capture.batches.length > 0, 30_000);
const t0 = Date.now();
const first = capture.batches.length;
await capture.until('whole backlog', () => capture.batches.length >= total, 600_000);
const seconds = (Date.now() - t0) / 1000;
const seqs = capture.batches.map((b) => b.seq);
process.stdout.write(
  `${JSON.stringify({
    bench: 'gateway-drain',
    batches: total,
    queuedMB: Math.round((bytes / 2 ** 20) * 10) / 10,
    rateLimit: Number(values.rate),
    maxInFlight: Number(values['in-flight']),
    seconds: Math.round(seconds * 100) / 100,
    batchesPerSecond: Math.round((total - first) / seconds),
    inOrder: seqs.every((s, i) => i === 0 || s > (seqs[i - 1] ?? -1)),
  })}\n`,
);
await gateway.kill('SIGTERM');
await capture.stop();
await mosquitto.stop();
