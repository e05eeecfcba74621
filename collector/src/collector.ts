import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { AlarmService } from './alarms/alarm-service.js';
import { AlarmStore } from './alarms/alarm-store.js';
import type { CollectorConfig } from './config/schema.js';
import { IndexScheduler } from './derive/index-scheduler.js';
import { airAverageObservations } from './derive/rolling-averages.js';
import type { DeadLetters } from './ingest/dead-letters.js';
import { type MessageObserver, MessagePipeline } from './ingest/message-pipeline.js';
import { MqttIngest } from './ingest/mqtt-ingest.js';
import { StalledGaps } from './ingest/stalled-gaps.js';
import { WriteThrough } from './ingest/write-through.js';
import { createLogger } from './log.js';
import { startMetricsServer } from './metrics-server.js';
import { CollectorMetrics } from './metrics.js';
import { createDrainer, drainsInWorker } from './outbox/create-drainer.js';
import type { Drainer } from './outbox/drainer.js';
import { Outbox } from './outbox/outbox.js';
import { qcvnThresholdRules, vietnamDate } from './quality/index.js';
import { SourceClassifier } from './schema/measurements.js';
import type { SqliteDatabase } from './sqlite.js';
import { openStateDb } from './state/state-db.js';
import { createStore } from './store/create-store.js';
import { EmbeddedStore } from './store/embedded/embedded-store.js';
import type { TimeSeriesStore } from './store/types.js';

export interface Collector {
  readonly store: TimeSeriesStore;
  readonly state: SqliteDatabase;
  readonly outbox: Outbox;
  readonly drainer: Drainer;
  readonly pipeline: MessagePipeline;
  readonly deadLetters: DeadLetters;
  readonly metrics: CollectorMetrics;
  readonly metricsPort: number;
  /** Alarm rules and lifecycle (acknowledge, open alarms); null when disabled. */
  readonly alarms: AlarmService | null;
  /** Hourly VN_AQI/VN_WQI; null when disabled. */
  readonly indices: IndexScheduler | null;
  readonly log: Logger;
  /** Resolves when the MQTT subscriptions are in place. */
  ready(): Promise<void>;
  observe(observer: MessageObserver): void;
  /** Stops ingest, tries to empty the outbox for up to drainMs, closes everything. */
  stop(drainMs?: number): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Replaces the store built from the configuration (tests inject a failing or slow one). */
  store?: TimeSeriesStore;
}

/** The embedded store's raw-data retention, at start and hourly. */
function scheduleRetention(store: EmbeddedStore, log: Logger): NodeJS.Timeout {
  const run = (): void => {
    try {
      const deleted = store.applyRetention();
      if (deleted.rawDeleted + deleted.rollupDeleted > 0)
        log.info(deleted, 'embedded store retention applied');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'embedded store retention failed');
    }
  };
  run();
  const timer = setInterval(run, 3_600_000);
  timer.unref();
  return timer;
}

export async function startCollector(
  config: CollectorConfig,
  options: StartOptions = {},
): Promise<Collector> {
  const log = options.log ?? createLogger(config.logLevel);
  const metrics = new CollectorMetrics();
  const state = openStateDb(config.outbox.path);
  const store = options.store ?? createStore(config.store, config.outbox.batchPoints, log);
  const classifier = new SourceClassifier(config.sources);
  const injected = options.store !== undefined;
  const outbox = new Outbox(
    state,
    store.writeLines ? 'lp' : 'json',
    { classifier, areas: config.areas },
    drainsInWorker(config, injected),
  );
  const drainer = createDrainer(config, injected, outbox, store, metrics, log);
  const pipeline = new MessagePipeline(state, outbox, metrics, {
    classifier,
    areas: config.areas,
    onObserverError: (err) => log.error({ err: err.message }, 'a message observer failed'),
  });
  // The depth query reads every outbox row's header: only for a scrape that includes these gauges.
  const updateGauges = (name: string | null): void => {
    if (name !== null && !CollectorMetrics.OUTBOX_GAUGES.has(name)) return;
    const depth = outbox.depth();
    metrics.outboxPoints.set(depth.points);
    metrics.outboxRows.set(depth.rows);
    metrics.outboxOldestAge.set(
      depth.oldestCreatedAt === null ? 0 : (Date.now() - depth.oldestCreatedAt) / 1000,
    );
  };
  let server: Server | null = null;
  let metricsPort = 0;
  try {
    const started = await startMetricsServer(
      metrics.registry,
      config.metrics.host,
      config.metrics.port,
      updateGauges,
    );
    server = started.server;
    metricsPort = started.port;
  } catch (err) {
    state.close();
    await store.close();
    throw new Error(
      `cannot serve metrics on ${config.metrics.host}:${config.metrics.port}: ${(err as Error).message}`,
    );
  }
  const backlog = outbox.depth();
  if (backlog.rows > 0)
    log.info({ rows: backlog.rows, points: backlog.points }, 'outbox has points from before; draining');
  drainer.start();
  const retention = store instanceof EmbeddedStore ? scheduleRetention(store, log) : null;
  const writeLines = store.writeLines?.bind(store);
  const writeThrough =
    config.outbox.mode === 'write-through' && writeLines
      ? new WriteThrough(
          pipeline,
          () => outbox.pendingPoints,
          writeLines,
          {
            deadlineMs: config.outbox.writeThroughDeadlineMs,
            maxGroupsInFlight: config.outbox.writeThroughGroups,
            maxGroupMessages: config.outbox.writeThroughMaxMessages,
          },
          metrics,
          log,
        )
      : null;
  const ingest = new MqttIngest(
    config.mqtt,
    pipeline,
    metrics,
    log,
    new StalledGaps(state, config.mqtt.gapReconnectMs),
    writeThrough,
  );
  ingest.onMessage = () => drainer.notify();
  const alarms = config.alarms.enabled
    ? new AlarmService(
        [
          ...(config.alarms.qcvn
            ? qcvnThresholdRules({ date: vietnamDate(Date.now()), waterLevel: config.alarms.waterLevel })
            : []),
          ...config.alarms.rules,
        ],
        new AlarmStore(state),
        (topic, payload) => ingest.publish(topic, payload),
        log,
        Date.now,
        (stationId) => config.areas[stationId],
      )
    : null;
  if (alarms) {
    pipeline.observe(alarms.observe);
    alarms.start(config.alarms.tickMs);
  }
  const indices = config.indices.enabled
    ? new IndexScheduler(
        store,
        state,
        outbox,
        () => drainer.notify(),
        {
          tickMs: config.indices.tickMs,
          onHourFinished: async (hourEnd) => alarms?.feed(await airAverageObservations(store, hourEnd), true),
        },
        log,
      )
    : null;
  if (indices) {
    pipeline.observe(indices.observe);
    indices.start();
  }
  ingest.start();
  log.info(
    {
      store: config.store.kind,
      outbox: config.outbox.path,
      mode: writeThrough ? 'write-through' : 'always',
      metricsPort,
    },
    'collector started',
  );

  let stopping: Promise<void> | null = null;
  return {
    store,
    state,
    outbox,
    drainer,
    pipeline,
    deadLetters: pipeline.deadLetters,
    metrics,
    metricsPort,
    log,
    alarms,
    indices,
    ready: () => ingest.ready(),
    observe: (observer) => pipeline.observe(observer),
    stop(drainMs = 5000) {
      stopping ??= (async () => {
        await ingest.stop();
        if (retention) clearInterval(retention);
        await indices?.stop();
        alarms?.stop();
        await drainer.stop();
        const empty = await drainer.drainFor(drainMs);
        if (!empty)
          log.warn({ left: outbox.depth() }, 'outbox not empty at shutdown; it drains at the next start');
        await drainer.close();
        await store.close();
        state.close();
        await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
        log.info('collector stopped');
      })();
      return stopping;
    },
  };
}
