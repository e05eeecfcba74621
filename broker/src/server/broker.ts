import type { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { Aedes } from 'aedes';
import type { Client } from 'aedes';
import mqemitter from 'mqemitter';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { configFromObject } from '../config/load.js';
import type { BrokerConfig, BrokerConfigInput } from '../config/schema.js';
import { BrokerMetrics } from '../metrics/broker-metrics.js';
import { CredentialVerifiers } from '../registry/credential-verifiers.js';
import { Registry } from '../registry/registry.js';
import { accessControl } from './access-control.js';
import { boundSyncDepth } from './bounded-emitter.js';
import { watchBroker } from './broker-events.js';
import { deliverCleanSessionsDirectly } from './clean-session-delivery.js';
import { ConnectedClients } from './connected-clients.js';
import { DurableAcks } from './durable-acks.js';
import { queueInFifo } from './emitter-queue.js';
import { FailureBackoff } from './failure-backoff.js';
import { forwardEveryPacket } from './forward-order.js';
import { httpApp } from './http-app.js';
import { ConnectionIntake, startListeners } from './listeners.js';
import { openStorage } from './persistence.js';
import { followRegistry } from './registry-follower.js';
import { RetainedTopics } from './retained-topics.js';

/** Longest wait for persistence calls of sessions still connecting before closing anyway. */
const SHUTDOWN_SETTLE_MS = 3000;
/** Longest wait for aedes to close its clients (publishing their wills) before cutting the rest. */
const SHUTDOWN_CLIENTS_MS = 10_000;

/** Waits for `work`, but no longer than `ms`; `late` is told when it gave up. */
async function within(work: Promise<void>, ms: number, late: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      late();
      resolve();
    }, ms);
  });
  await Promise.race([work, timeout]);
  clearTimeout(timer);
}

export interface RunningBroker {
  ports: { mqtt: number; mqtts?: number; ws?: number; http: number };
  registry: Registry;
  metrics: BrokerMetrics;
  config: BrokerConfig;
  close(): Promise<void>;
}

/** Validates the configuration, opens registry and persistence, and starts every configured listener. */
export async function startBroker(
  input: BrokerConfigInput,
  options: { logger?: Logger } = {},
): Promise<RunningBroker> {
  const config = configFromObject(input);
  const log = options.logger ?? pino({ name: 'broker', level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true });
  const metrics = new BrokerMetrics();
  const registry = Registry.open(join(config.dataDir, 'registry.sqlite'), {
    logger: log.child({ part: 'registry' }),
    verifiers: CredentialVerifiers.inDirectory(config.dataDir),
    hashConcurrency: config.limits.hashConcurrency,
    onCheck: (path) => metrics.credentialChecks.inc({ path }),
  });
  for (const role of ['collector', 'console'] as const) {
    const password = config.services[role];
    if (password) registry.ensureService(role, password);
  }
  const storage = await openStorage(config, metrics);
  const clients = new ConnectedClients();
  const backoff = new FailureBackoff(config.authBackoff);
  const acks = new DurableAcks();
  const hooks = accessControl({
    registry,
    metrics,
    backoff,
    clients,
    acks,
    log,
    maxConnectionsPerService: config.limits.maxConnectionsPerService,
    // Connections only arrive after the listeners start, by which time `intake` exists.
    remoteAddress: (client: Client) => intake.addressOf(client.conn),
  });
  const broker = await Aedes.createBroker({
    persistence: storage.persistence,
    mq: queueInFifo(boundSyncDepth(storage.mq ?? mqemitter({ concurrency: config.limits.concurrency }))),
    concurrency: config.limits.concurrency,
    drainTimeout: config.drainTimeout,
    connectTimeout: config.limits.connectTimeoutMs,
    keepaliveLimit: config.limits.keepaliveMaxSeconds,
    maxClientsIdLength: config.limits.maxClientIdLength,
    maxInflightInbound: config.limits.maxInflight,
    queueLimit: config.limits.queueLimit,
    preConnect: hooks.preConnect,
    authenticate: hooks.authenticate,
    authorizePublish: hooks.authorizePublish,
    authorizeSubscribe: hooks.authorizeSubscribe,
    published: (packet, client, cb) => {
      if (client && packet.qos === 1) acks.release(client);
      cb(null);
    },
    authorizeForward: (_client, packet) => {
      metrics.messagesOut.inc();
      return packet;
    },
  });
  forwardEveryPacket(broker);
  if (config.limits.directCleanDelivery) deliverCleanSessionsDirectly(broker);
  const retained = new RetainedTopics(metrics);
  await retained.load(storage.retained('#'));
  const events = watchBroker(broker, { clients, metrics, retained, log });
  const intake = new ConnectionIntake(broker, config, metrics);

  const listeners = await startListeners(intake, config, log);
  const port = (name: string) => listeners.find((l) => l.name === name)?.port;
  const mqttPort = port('mqtt') ?? config.mqtt.port;
  const mqttsPort = port('mqtts');
  const mqttUrl =
    config.publicUrl ??
    (mqttsPort ? `mqtts://${config.host}:${mqttsPort}` : `mqtt://${config.host}:${mqttPort}`);
  const app = httpApp({
    registry,
    metrics,
    mqttUrl,
    log,
    enrollmentLimit: config.enrollmentLimit,
    health: () => ({ connectedClients: broker.connectedClients, persistence: storage.kind }),
    beforeScrape: () => {
      intake.bytesOut.flushAll();
      events.refreshGauges();
    },
  });
  const http = createAdaptorServer({ fetch: app.fetch }) as Server;
  const httpPort = await new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.http.port, config.host, () => resolve((http.address() as AddressInfo).port));
  });
  const stopFollowing = followRegistry({
    registry,
    clients,
    metrics,
    log,
    intervalMs: config.registryPollMs,
  });
  const pruner = setInterval(() => backoff.prune(), 60_000);
  pruner.unref();

  const ports = { mqtt: mqttPort, mqtts: mqttsPort, ws: port('ws'), http: httpPort };
  log.info(
    { ports, host: config.host, dataDir: config.dataDir, persistence: storage.kind },
    'broker listening',
  );

  // aedes emits 'error' when a persistence call it cannot pin on a client fails; unheard, that would crash.
  (broker as EventEmitter).on('error', (err: Error) => log.error({ err }, 'broker error'));

  let closing: Promise<void> | undefined;
  // Order matters: no new session may start once persistence is closing, and none still
  // running may find the store closed under it ("Database is not open").
  const close = () => {
    closing ??= (async () => {
      stopFollowing();
      clearInterval(pruner);
      hooks.shutDown();
      intake.refuseNew();
      const stopped = Promise.all(listeners.map((l) => l.close()));
      await storage.idle(SHUTDOWN_SETTLE_MS);
      log.debug('shutdown: logins refused, pending sessions settled; closing clients');
      await within(new Promise<void>((resolve) => broker.close(() => resolve())), SHUTDOWN_CLIENTS_MS, () =>
        log.warn({ timeoutMs: SHUTDOWN_CLIENTS_MS }, 'shutdown: clients slow to close; going on'),
      );
      const left = intake.destroyAll();
      if (left > 0) log.debug({ connections: left }, 'shutdown: closed the remaining connections');
      await stopped;
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await storage.idle(SHUTDOWN_SETTLE_MS);
      await storage.close();
      registry.close();
      log.info('broker stopped');
    })();
    return closing;
  };
  return { ports, registry, metrics, config, close };
}
