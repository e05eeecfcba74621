/**
 * The outbox drainer in a worker thread: reads batches on its own read-only connection to the state
 * database, writes them to its own store client, and posts back which rows to delete. The main thread
 * keeps the only writing connection, so the two never contend for SQLite's write lock.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { SourceClassifier } from '../schema/measurements.js';
import { openSqliteReader } from '../sqlite.js';
import { createStore } from '../store/create-store.js';
import { DrainCommandSchema, type DrainEvent, DrainWorkerDataSchema } from './drain-protocol.js';
import { type DrainMetrics, type DrainRows, OutboxDrainer } from './drainer.js';
import { OutboxReader } from './outbox.js';

const port = parentPort;
if (!port) throw new Error('drain-worker.ts runs as a worker thread');
const parsed = DrainWorkerDataSchema.safeParse(workerData);
if (!parsed.success) {
  const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`drain worker started with invalid settings: ${fields}`);
}
const data = parsed.data;
const post = (event: DrainEvent): void => port.postMessage(event);

const log = pino(
  { level: data.logLevel, base: null, timestamp: false },
  { write: (record: string) => post({ type: 'log', record }) },
);
const db = openSqliteReader(data.statePath);
const reader = new OutboxReader(db, { classifier: new SourceClassifier(data.sources), areas: data.areas });
const rows: DrainRows = {
  peek: (maxPoints, maxRows, afterId) => reader.peek(maxPoints, maxRows, afterId),
  remove: (r) => post({ type: 'remove', ids: r.ids, pointCount: r.pointCount }),
  setAside: (r, reason) => post({ type: 'set-aside', ids: r.ids, pointCount: r.pointCount, reason }),
};
const metrics: DrainMetrics = {
  writeLatency: {
    startTimer: () => {
      const t0 = performance.now();
      return () => post({ type: 'latency', seconds: (performance.now() - t0) / 1000 });
    },
  },
  pointsWritten: { inc: (points) => post({ type: 'written', points }) },
  writeFailures: {
    inc: ({ retryable }) =>
      post({ type: 'write-failure', retryable: retryable === 'true' ? 'true' : 'false' }),
  },
  deadLetters: { inc: ({ stage }) => post({ type: 'dead-letter', stage }) },
};
const store = createStore(data.store, data.batchPoints, log);
const drainer = new OutboxDrainer(rows, store, data, metrics, log, (state) =>
  post({ type: 'state', ...state }),
);

port.on('message', (raw: unknown) => {
  const command = DrainCommandSchema.safeParse(raw);
  if (!command.success) {
    log.error({ err: command.error.message }, 'drain worker got a command it does not know');
    return;
  }
  switch (command.data.type) {
    case 'start':
      drainer.start();
      log.info({ store: data.store.kind }, 'drain worker started');
      return;
    case 'notify':
      drainer.notify();
      return;
    case 'stop':
      void drainer.stop().then(() => post({ type: 'stopped' }));
      return;
    case 'drain':
      void drainer.drainFor(command.data.ms).then((empty) => post({ type: 'drained', empty }));
      return;
    case 'close':
      void (async () => {
        await drainer.stop();
        await store.close();
        db.close();
        post({ type: 'closed' });
        port.close();
      })();
  }
});
post({ type: 'ready' });
