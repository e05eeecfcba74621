import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import AsyncLevelPersistence from 'aedes-persistence-level/asyncPersistence.js';
import AsyncRedisPersistence from 'aedes-persistence-redis/asyncPersistence.js';
import { Level } from 'level';
import MQEmitterRedis from 'mqemitter-redis';
import type { Logger } from 'pino';
import type { BrokerConfig } from '../config/schema.js';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import { skipCleanSessionLookups } from './clean-session-acks.js';
import { indexRetained } from './indexed-retained.js';
import type { RetainedPersistence } from './indexed-retained.js';
import { OutgoingJournal } from './outgoing-journal.js';

/** What aedes needs plus the pieces we own and must close. */
export interface BrokerStorage {
  kind: 'level' | 'redis';
  persistence: object;
  mq?: object;
  /** Async iterable of the retained packets matching a pattern (used to count them at start). */
  retained(pattern: string): AsyncIterable<{ topic: string }>;
  /** Resolves once no persistence call has been pending for a moment (or after `timeoutMs`). */
  idle(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Counts the persistence calls still running, so shutdown closes the store only once they have settled. */
class PendingCalls {
  count = 0;
  closed = false;

  async idle(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    let quietChecks = 0;
    // Two quiet checks in a row: a CONNECT in progress issues its next call within a tick of the last.
    while (quietChecks < 2 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      quietChecks = this.count === 0 ? quietChecks + 1 : 0;
    }
  }
}

/** The persistence methods that return streams rather than promises. */
const STREAM_METHODS = new Set([
  'createRetainedStream',
  'createRetainedStreamCombi',
  'outgoingStream',
  'streamWill',
  'getClientList',
]);

export class PersistenceClosedError extends Error {
  constructor(op: string) {
    super(`persistence closed: the broker is shutting down (${op})`);
    this.name = 'PersistenceClosedError';
  }
}

interface PersistenceMethods {
  destroy(): Promise<void>;
  createRetainedStream(pattern: string): AsyncIterable<{ topic: string }>;
}

/** LevelDB on local disk by default; Redis plus mqemitter-redis when several brokers share sessions. */
export function describeStorage(
  config: BrokerConfig,
): { kind: 'level'; dir: string } | { kind: 'redis'; url: string } {
  return config.persistence.kind === 'redis'
    ? { kind: 'redis', url: config.persistence.url }
    : { kind: 'level', dir: join(config.dataDir, 'broker-persistence') };
}

function redisOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  const db = Number(u.pathname.slice(1));
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
  };
}

export async function openStorage(
  config: BrokerConfig,
  metrics: BrokerMetrics,
  logger?: Logger,
): Promise<BrokerStorage> {
  const where = describeStorage(config);
  if (where.kind === 'redis') {
    const raw = new AsyncRedisPersistence(redisOptions(where.url));
    const mq = MQEmitterRedis({ connectionString: where.url });
    const methods = raw as unknown as PersistenceMethods;
    const pending = new PendingCalls();
    return {
      kind: 'redis',
      persistence: skipCleanSessionLookups(timed(raw, metrics, pending)),
      mq,
      retained: (pattern) => methods.createRetainedStream(pattern),
      idle: (ms) => pending.idle(ms),
      close: async () => {
        pending.closed = true;
        await methods.destroy();
        await new Promise<void>((resolve) => mq.close(() => resolve()));
      },
    };
  }
  mkdirSync(where.dir, { recursive: true });
  const db = new Level(where.dir);
  await db.open();
  const raw = new AsyncLevelPersistence(db);
  const methods = raw as unknown as PersistenceMethods;
  const tuning = config.persistence.kind === 'level' ? config.persistence : undefined;
  if (tuning?.retainedIndex) await indexRetained(raw as unknown as RetainedPersistence, db);
  const streams = trackRetainedStreams(raw as unknown as RetainedStreams);
  const pending = new PendingCalls();
  const journal = tuning?.outgoingJournal
    ? new OutgoingJournal(db as unknown as Level<string, Buffer>, {
        // A lost in-flight record only means a redelivery; say so rather than fail the client.
        onWriteError: (err) =>
          logger?.error(
            { err },
            'session in-flight state not written; those messages may be delivered again',
          ),
      })
    : undefined;
  await journal?.load();
  const base = journal ? withJournal(raw, journal) : raw;
  return {
    kind: 'level',
    persistence: tuning?.skipCleanSessionLookups
      ? skipCleanSessionLookups(timed(base, metrics, pending))
      : timed(base, metrics, pending),
    retained: (pattern) => methods.createRetainedStream(pattern),
    idle: (ms) => pending.idle(ms),
    close: async () => {
      pending.closed = true;
      streams.close();
      await journal?.settled();
      await methods.destroy();
      if (db.status === 'open') await db.close();
    },
  };
}

const JOURNAL_METHODS = new Set([
  'outgoingEnqueue',
  'outgoingEnqueueCombi',
  'outgoingUpdate',
  'outgoingClearMessageId',
  'outgoingStream',
]);

/** The library's persistence with its QoS 1 in-flight calls served by the journal (same keys, same file). */
function withJournal(raw: object, journal: OutgoingJournal): object {
  // Bound once: aedes looks a method up on every packet.
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(raw, {
    get(obj, prop) {
      const cached = bound.get(prop);
      if (cached) return cached;
      const owner = typeof prop === 'string' && JOURNAL_METHODS.has(prop) ? journal : obj;
      const value: unknown = Reflect.get(owner, prop, owner);
      if (typeof value !== 'function') return value;
      // The library keeps its state in private fields, so its methods must run with the real object as `this`.
      const method = value.bind(owner);
      bound.set(prop, method);
      return method;
    },
  });
}

interface RetainedStreams {
  createRetainedStreamCombi(patterns: string[]): Readable;
}

/**
 * aedes pipes a retained stream per SUBSCRIBE into the client; one whose client left mid-delivery never
 * finishes, and reading on after the database closed throws an uncaught error. Close destroys them first.
 */
function trackRetainedStreams(raw: RetainedStreams): { close(): void } {
  const open = new Set<Readable>();
  let closing = false;
  const create = raw.createRetainedStreamCombi.bind(raw);
  raw.createRetainedStreamCombi = (patterns) => {
    const stream = create(patterns);
    open.add(stream);
    stream.once('close', () => open.delete(stream));
    // Only the reads cut short by close() are expected; anything else stays as loud as before.
    stream.on('error', (err) => {
      if (!closing) throw err;
    });
    return stream;
  };
  return {
    close() {
      closing = true;
      for (const stream of open) stream.destroy();
    },
  };
}

/**
 * Times every promise-returning persistence call into the latency histogram and counts those pending;
 * after close, calls fail with a clear error instead of reaching a closed database. Methods run with the
 * real object as `this` because the persistences keep their state in private class fields.
 */
function timed(target: object, metrics: BrokerMetrics, pending: PendingCalls): object {
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, prop) {
      const value: unknown = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const cached = wrappers.get(prop);
      if (cached) return cached;
      const fn = value as (...args: unknown[]) => unknown;
      // aedes checks that setup() is an AsyncFunction, which a plain wrapper is not.
      if (prop === 'setup') return fn.bind(obj);
      // The labelled child once per method: looking labels up costs as much as the call on a busy session.
      const latency = metrics.persistenceLatency.labels({ op: prop });
      const wrapper = (...args: unknown[]): unknown => {
        if (pending.closed && !STREAM_METHODS.has(prop))
          return Promise.reject(new PersistenceClosedError(prop));
        const start = process.hrtime.bigint();
        const result = fn.apply(obj, args);
        if (result instanceof Promise) {
          pending.count++;
          const observe = () => {
            pending.count--;
            latency.observe(Number(process.hrtime.bigint() - start) / 1e9);
          };
          result.then(observe, observe);
        }
        return result;
      };
      wrappers.set(prop, wrapper);
      return wrapper;
    },
  });
}
