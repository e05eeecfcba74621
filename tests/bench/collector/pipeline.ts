/**
 * Per-message cost of the collector's hot path, without MQTT and the database server, so the parts can be
 * compared in one run on a busy machine: contract decode (zod vs the checked fast path), the durable
 * commit one message at a time vs in groups (state DB on disk, synchronous=FULL), and line protocol.
 * Every case runs `--rounds` times interleaved and the best round counts (the machine is shared).
 *   npx tsx tests/bench/collector/pipeline.ts [--messages 400] [--instants 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type TelemetryBatch, decodeMessage } from '@xaso/device-profiles/contract';
import { decodeIngest } from '../../../collector/src/ingest/decode.js';
import { MessagePipeline } from '../../../collector/src/ingest/message-pipeline.js';
import { CollectorMetrics } from '../../../collector/src/metrics.js';
import { Outbox } from '../../../collector/src/outbox/outbox.js';
import { SourceClassifier } from '../../../collector/src/schema/measurements.js';
import { telemetryPoints } from '../../../collector/src/schema/telemetry-points.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { toLines } from '../../../collector/src/store/influx/line-protocol.js';
import { stationBatch } from './workload.js';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '400' },
    instants: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '3' },
  },
});
const MESSAGES = Number(args.messages);
const INSTANTS = Number(args.instants);
const ROUNDS = Number(args.rounds);
const emit = (o: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ bench: 'collector-pipeline', ...o })}\n`);
};

const t0 = Date.now() - 6 * 3_600_000;
const messages = Array.from({ length: MESSAGES }, (_, i) => {
  const m = stationBatch(`pl-${i % 20}`, Math.floor(i / 20) + 1, INSTANTS, t0);
  return { topic: m.topic, payload: Buffer.from(m.payload) };
});
const perMessageMs = (ms: number): number => +(ms / MESSAGES).toFixed(3);

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const classifier = new SourceClassifier({});
const dir = mkdtempSync(join(tmpdir(), 'xs-bench-pipeline-'));
const GROUPS = [1, 4, 20, 100];
const outboxRows = messages.map((m) => {
  const batch = JSON.parse(m.payload.toString('utf8')) as TelemetryBatch;
  return JSON.stringify(telemetryPoints(batch, { classifier, commune: undefined }).points);
});
const best = new Map<string, number>();
const keep = (key: string, ms: number): void => {
  best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, ms));
};
try {
  for (let round = 0; round < ROUNDS; round++) {
    keep(
      'zod',
      time(() => {
        for (const m of messages) decodeMessage(m.topic, m.payload);
      }),
    );
    keep(
      'fast',
      time(() => {
        for (const m of messages) decodeIngest(m.topic, m.payload);
      }),
    );
    keep(
      'parse',
      time(() => {
        for (const m of messages) JSON.parse(m.payload.toString('utf8'));
      }),
    );
    // Everything the pipeline does (decode, sequences, points, outbox), one transaction per group.
    for (const group of GROUPS) {
      const db = openStateDb(join(dir, `state-${round}-${group}.db`));
      const pipeline = new MessagePipeline(db, new Outbox(db), new CollectorMetrics(), {
        classifier,
        areas: {},
      });
      keep(
        `commit-${group}`,
        time(() => {
          for (let i = 0; i < messages.length; i += group) pipeline.handleGroup(messages.slice(i, i + group));
        }),
      );
      db.close();
    }
    // What the drainer adds per message: outbox JSON back to points, then line protocol.
    keep(
      'drain',
      time(() => {
        for (const row of outboxRows) toLines(JSON.parse(row));
      }),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const ms = (key: string): number => best.get(key) ?? Number.NaN;
emit({
  case: 'decode',
  readingsPerMessage: INSTANTS * 6,
  zodMsPerMessage: perMessageMs(ms('zod')),
  fastMsPerMessage: perMessageMs(ms('fast')),
  jsonParseMsPerMessage: perMessageMs(ms('parse')),
});
for (const group of GROUPS)
  emit({
    case: 'commit',
    messagesPerTransaction: group,
    msPerMessage: perMessageMs(ms(`commit-${group}`)),
    pointsPerS: Math.round((MESSAGES * INSTANTS) / (ms(`commit-${group}`) / 1000)),
  });
emit({ case: 'drain-encode', msPerMessage: perMessageMs(ms('drain')) });
