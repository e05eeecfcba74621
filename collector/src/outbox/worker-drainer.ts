import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CollectorMetrics } from '../metrics.js';
import {
  type DrainCommand,
  type DrainEvent,
  DrainEventSchema,
  type DrainWorkerData,
} from './drain-protocol.js';
import type { Drainer } from './drainer.js';
import type { Outbox } from './outbox.js';

const PINO_LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * Runs from source (tsx) or built JavaScript: a `.ts` worker needs tsx's loader registered in the worker
 * itself, because Node 20 does not hand a process's module hooks to its worker threads.
 */
function spawnDrainWorker(data: DrainWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./drain-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}

/**
 * The main thread's handle on the drain worker: forwards notifications, applies the row deletes and
 * dead letters the worker reports (on the collector's own connection), counts its metrics and logs its
 * lines. Until the worker has loaded (a second or more from source), and for good if it dies, the
 * in-thread drainer (`local`) drains instead, from the rows still on disk.
 */
export class WorkerDrainer implements Drainer {
  private worker: Worker | null = null;
  /** The worker runs its drain loop (it took over from `local`). */
  private workerDraining = false;
  private local: Drainer | null = null;
  private failures = 0;
  private lastError: string | null = null;
  private notifyQueued = false;
  private closing = false;
  private stopping = false;
  private readonly waiting = new Map<string, Array<(event: DrainEvent) => void>>();
  private readonly log: Logger;

  constructor(
    private readonly data: DrainWorkerData,
    private readonly outbox: Outbox,
    private readonly metrics: CollectorMetrics,
    log: Logger,
    private readonly fallback: () => Drainer,
  ) {
    this.log = log.child({ thread: 'drain' });
  }

  get consecutiveFailures(): number {
    return this.local ? this.local.consecutiveFailures : this.failures;
  }

  get lastFailure(): string | null {
    return this.local ? this.local.lastFailure : this.lastError;
  }

  start(): void {
    if (this.worker || this.local) return;
    this.local = this.fallback();
    this.local.start();
    const worker = spawnDrainWorker(this.data);
    this.worker = worker;
    worker.on('message', (raw: unknown) => this.receive(raw));
    worker.on('error', (err) => this.lost(`drain worker failed: ${err.message}`));
    worker.on('exit', (code) => {
      if (!this.closing) this.lost(`drain worker exited (code ${code})`);
    });
  }

  /** The worker has loaded: stop the interim drainer (after its write in flight), then let the worker go. */
  private async takeOver(): Promise<void> {
    await this.local?.stop();
    if (this.stopping) return;
    if (!this.worker) {
      // The worker died while the interim drainer was stopping: that one carries on.
      this.local?.start();
      return;
    }
    this.local = null;
    this.workerDraining = true;
    this.send({ type: 'start' });
  }

  /** Coalesced: a group commit of many messages wakes the worker once. */
  notify(): void {
    if (this.local) this.local.notify();
    if (this.notifyQueued || !this.workerDraining) return;
    this.notifyQueued = true;
    setImmediate(() => {
      this.notifyQueued = false;
      this.send({ type: 'notify' });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.local) await this.local.stop();
    if (this.workerDraining) await this.request({ type: 'stop' }, 'stopped');
  }

  async drainFor(ms: number): Promise<boolean> {
    if (!this.workerDraining) return this.local ? this.local.drainFor(ms) : false;
    const answer = await this.request({ type: 'drain', ms }, 'drained');
    return answer?.type === 'drained' && answer.empty;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.local?.close();
    const worker = this.worker;
    if (!worker) return;
    // A worker still loading holds nothing yet; one that loaded closes its store and connection first.
    if (this.workerDraining) await this.request({ type: 'close' }, 'closed');
    await worker.terminate();
    this.worker = null;
  }

  private send(command: DrainCommand): void {
    this.worker?.postMessage(command);
  }

  /** Resolves with the answer, or with null if the worker is gone (its rows stay on disk). */
  private request(command: DrainCommand, answer: DrainEvent['type']): Promise<DrainEvent | null> {
    if (!this.worker) return Promise.resolve(null);
    return new Promise((resolve) => {
      const list = this.waiting.get(answer) ?? [];
      list.push(resolve);
      this.waiting.set(answer, list);
      this.send(command);
    });
  }

  private receive(raw: unknown): void {
    const parsed = DrainEventSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.error(
        { err: parsed.error.message },
        'drain worker sent a message this collector does not know',
      );
      return;
    }
    const event = parsed.data;
    try {
      this.apply(event);
    } catch (err) {
      // The rows stay on disk and are written again after a restart: overwrites, nothing lost.
      this.log.error({ err: (err as Error).message, event: event.type }, 'could not apply a drain result');
    }
    const waiters = this.waiting.get(event.type);
    if (waiters && waiters.length > 0) waiters.shift()?.(event);
  }

  private apply(event: DrainEvent): void {
    switch (event.type) {
      case 'ready':
        void this.takeOver();
        return;
      case 'remove':
        this.outbox.remove(event);
        return;
      case 'set-aside':
        this.outbox.setAside(event, event.reason);
        return;
      case 'latency':
        this.metrics.writeLatency.observe(event.seconds);
        return;
      case 'written':
        this.metrics.pointsWritten.inc(event.points);
        return;
      case 'write-failure':
        this.metrics.writeFailures.inc({ retryable: event.retryable });
        return;
      case 'dead-letter':
        this.metrics.deadLetters.inc({ stage: event.stage });
        return;
      case 'state':
        this.failures = event.failures;
        this.lastError = event.lastError;
        return;
      case 'log':
        this.relayLog(event.record);
        return;
      default:
        return;
    }
  }

  private relayLog(record: string): void {
    const { level, msg, ...fields } = JSON.parse(record) as Record<string, unknown>;
    const name = PINO_LEVELS[Number(level)] ?? 'info';
    this.log[name](fields, typeof msg === 'string' ? msg : '');
  }

  /** The worker is gone: answer whoever waits for it, and drain in this thread from now on. */
  private lost(reason: string): void {
    if (this.closing || !this.worker) return;
    this.worker = null;
    this.workerDraining = false;
    this.log.error({ reason }, 'drain worker lost; draining in the main thread from now on');
    for (const [, list] of this.waiting) for (const resolve of list.splice(0)) resolve({ type: 'closed' });
    if (this.local) return;
    this.local = this.fallback();
    if (!this.stopping) this.local.start();
  }
}
