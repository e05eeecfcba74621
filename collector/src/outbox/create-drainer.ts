import type { Logger } from 'pino';
import type { CollectorConfig } from '../config/schema.js';
import type { CollectorMetrics } from '../metrics.js';
import type { TimeSeriesStore } from '../store/types.js';
import { type Drainer, OutboxDrainer } from './drainer.js';
import type { Outbox } from './outbox.js';
import { WorkerDrainer } from './worker-drainer.js';

/** Why the drain cannot run in a worker, or null when it can. */
function mainThreadReason(config: CollectorConfig, injectedStore: boolean): string | null {
  if (config.outbox.drainer === 'main') return 'outbox.drainer is "main"';
  // A worker builds its own store client from the configuration; an object handed in cannot cross over.
  if (injectedStore) return 'the store was passed in as an object';
  // A second connection to ":memory:" would open a different, empty database.
  if (config.outbox.path === ':memory:') return 'the outbox is in memory';
  if (config.store.kind === 'embedded' && config.store.path === ':memory:') return 'the store is in memory';
  return null;
}

/** Whether `createDrainer` will drain in a worker thread. */
export function drainsInWorker(config: CollectorConfig, injectedStore: boolean): boolean {
  return mainThreadReason(config, injectedStore) === null;
}

/** The drainer the configuration asks for: a worker thread by default, the ingest thread when it must. */
export function createDrainer(
  config: CollectorConfig,
  injectedStore: boolean,
  outbox: Outbox,
  store: TimeSeriesStore,
  metrics: CollectorMetrics,
  log: Logger,
): Drainer {
  const local = (): Drainer => new OutboxDrainer(outbox, store, config.outbox, metrics, log);
  const reason = mainThreadReason(config, injectedStore);
  if (reason !== null) {
    log.info({ reason }, 'outbox drainer runs in the ingest thread');
    return local();
  }
  return new WorkerDrainer(
    {
      statePath: config.outbox.path,
      store: config.store,
      batchPoints: config.outbox.batchPoints,
      minBackoffMs: config.outbox.minBackoffMs,
      maxBackoffMs: config.outbox.maxBackoffMs,
      logLevel: log.level,
      sources: config.sources,
      areas: config.areas,
    },
    outbox,
    metrics,
    log,
    local,
  );
}
