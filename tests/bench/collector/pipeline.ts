/**
 * Per-message cost of the collector's hot path, without MQTT and the database server, so the parts can be
 * compared in one run on a busy machine, for both telemetry wire forms (reading list v 1, columns v 2):
 * contract decode (zod vs the checked fast path), the durable commit one message at a time vs in groups
 * (state DB on disk, synchronous=FULL) with JSON or line-protocol outbox rows, and the drain's encoding.
 * Every case runs `--rounds` times interleaved and the best round counts (the machine is shared).
 *   npx tsx tests/bench/collector/pipeline.ts [--messages 300] [--instants 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeMessage } from '@xaso/device-profiles/contract';
import { decodeIngest } from '../../../collector/src/ingest/decode.js';
import { MessagePipeline } from '../../../collector/src/ingest/message-pipeline.js';
import { CollectorMetrics } from '../../../collector/src/metrics.js';
import { Outbox, type OutboxEncoding, batchLines } from '../../../collector/src/outbox/outbox.js';
import { SourceClassifier } from '../../../collector/src/schema/measurements.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';
import { type WireForm, stationBatch } from './workload.js';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '300' },
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
const wireMessages = (wire: WireForm) =>
  Array.from({ length: MESSAGES }, (_, i) => {
    const m = stationBatch(`pl-${i % 20}`, Math.floor(i / 20) + 1, INSTANTS, t0, wire);
    return { topic: m.topic, payload: Buffer.from(m.payload) };
  });
const WIRES = { readings: wireMessages('readings'), columns: wireMessages('columns') };
const perMessageMs = (ms: number): number => +(ms / MESSAGES).toFixed(3);

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const classifier = new SourceClassifier({});
const dir = mkdtempSync(join(tmpdir(), 'xs-bench-pipeline-'));
const GROUPS = [1, 100];
const ENCODINGS: OutboxEncoding[] = ['json', 'lp'];
const best = new Map<string, number>();
const keep = (key: string, ms: number): void => {
  best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, ms));
};
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [wire, messages] of Object.entries(WIRES)) {
      keep(
        `zod-${wire}`,
        time(() => {
          for (const m of messages) decodeMessage(m.topic, m.payload);
        }),
      );
      keep(
        `fast-${wire}`,
        time(() => {
          for (const m of messages) decodeIngest(m.topic, m.payload);
        }),
      );
      keep(
        `parse-${wire}`,
        time(() => {
          for (const m of messages) JSON.parse(m.payload.toString('utf8'));
        }),
      );
      // Everything the pipeline does (decode, sequences, points, outbox row), one transaction per group,
      // then what the drainer does with the rows (read, encode to one line-protocol body, delete).
      for (const encoding of ENCODINGS) {
        for (const group of GROUPS) {
          const db = openStateDb(join(dir, `state-${round}-${wire}-${encoding}-${group}.db`));
          const outbox = new Outbox(db, encoding);
          const pipeline = new MessagePipeline(db, outbox, new CollectorMetrics(), { classifier, areas: {} });
          keep(
            `commit-${wire}-${encoding}-${group}`,
            time(() => {
              for (let i = 0; i < messages.length; i += group)
                pipeline.handleGroup(messages.slice(i, i + group));
            }),
          );
          if (group === GROUPS[GROUPS.length - 1])
            keep(
              `drain-${wire}-${encoding}`,
              time(() => {
                for (let batch = outbox.peek(20_000); batch; batch = outbox.peek(20_000)) {
                  batchLines(batch);
                  outbox.remove(batch);
                }
              }),
            );
          db.close();
        }
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const ms = (key: string): number => best.get(key) ?? Number.NaN;
for (const wire of Object.keys(WIRES)) {
  emit({
    case: 'decode',
    wire,
    readingsPerMessage: INSTANTS * 6,
    zodMsPerMessage: perMessageMs(ms(`zod-${wire}`)),
    fastMsPerMessage: perMessageMs(ms(`fast-${wire}`)),
    jsonParseMsPerMessage: perMessageMs(ms(`parse-${wire}`)),
  });
  for (const encoding of ENCODINGS) {
    for (const group of GROUPS) {
      const commit = ms(`commit-${wire}-${encoding}-${group}`);
      emit({
        case: 'commit',
        wire,
        outbox: encoding,
        messagesPerTransaction: group,
        msPerMessage: perMessageMs(commit),
        pointsPerS: Math.round((MESSAGES * INSTANTS) / (commit / 1000)),
      });
    }
    emit({
      case: 'drain-encode',
      wire,
      outbox: encoding,
      msPerMessage: perMessageMs(ms(`drain-${wire}-${encoding}`)),
    });
  }
}
