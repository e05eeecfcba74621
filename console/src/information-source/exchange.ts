import type { SqliteDatabase } from '@xaso/broker';
import type { Logger } from 'pino';
import type { BulletinAudioIntake } from './audio-intake.js';
import { BulletinIntake } from './bulletin-intake.js';
import { type Bulletin, BulletinStore } from './bulletin-store.js';
import type { InformationSourceConfig } from './config.js';
import { ProvinceRefusedError, ProvinceUnavailableError, ProvincialClient } from './provincial-client.js';
import { Publisher } from './publisher.js';
import type { InformationSourceSources } from './sources.js';
import { Outbox, SyncState, migrateInformationSource } from './store.js';

export interface ExchangeStatus {
  connected: boolean;
  lastSyncAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  nextAttemptAt: number | null;
  outbox: { messages: number; oldestAt: number | null; lastError: string | null };
  bulletinsPending: number;
}

export interface ExchangeDeps {
  config: InformationSourceConfig;
  db: SqliteDatabase;
  sources: InformationSourceSources;
  audio: BulletinAudioIntake | null;
  log: Logger;
  now?: () => number;
  onBulletinReceived?: (bulletinId: string) => void;
}

/**
 * The one module that talks to the provincial information source system: each sync publishes what
 * changed into the durable outbox, delivers it, and pulls bulletins. While the province is down the
 * outbox holds everything and retries back off exponentially (with jitter) up to retryMaxMs.
 */
export class InformationSourceExchange {
  readonly outbox: Outbox;
  readonly bulletins: BulletinStore;
  private readonly state: SyncState;
  private readonly client: ProvincialClient;
  private readonly publisher: Publisher;
  private readonly intake: BulletinIntake;
  private readonly now: () => number;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failures = 0;
  private lastSyncAt: number | null = null;
  private lastSuccessAt: number | null = null;
  private lastError: string | null = null;
  private nextAttemptAt: number | null = null;

  constructor(private readonly deps: ExchangeDeps) {
    migrateInformationSource(deps.db);
    this.now = deps.now ?? Date.now;
    this.log = deps.log.child({ module: 'information-source' });
    this.outbox = new Outbox(deps.db);
    this.state = new SyncState(deps.db);
    this.bulletins = new BulletinStore(deps.db);
    this.client = new ProvincialClient(deps.config);
    this.publisher = new Publisher({
      sources: deps.sources,
      db: deps.db,
      outbox: this.outbox,
      state: this.state,
      bulletins: this.bulletins,
      systemCode: deps.config.systemCode,
      batchSize: deps.config.batchSize,
    });
    this.intake = new BulletinIntake({
      config: deps.config,
      client: this.client,
      db: deps.db,
      outbox: this.outbox,
      state: this.state,
      store: this.bulletins,
      areas: deps.sources.areas,
      audio: deps.audio,
      log: this.log,
      ...(deps.onBulletinReceived ? { onReceived: deps.onBulletinReceived } : {}),
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAttemptAt = this.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.syncNow().finally(() => this.schedule(this.delay()));
    }, delayMs);
    this.timer.unref();
  }

  /** Exponential back-off with jitter after consecutive failures, the sync interval otherwise. */
  private delay(): number {
    const { syncIntervalMs, retryMinMs, retryMaxMs } = this.deps.config;
    if (this.failures === 0) return syncIntervalMs;
    const base = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(this.failures - 1, 30));
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  /** One sync; concurrent callers share the run in progress. Never throws: failures are status. */
  syncNow(): Promise<void> {
    this.running ??= this.sync().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sync(): Promise<void> {
    const now = this.now();
    this.lastSyncAt = now;
    try {
      this.publisher.collect(now);
    } catch (err) {
      // Reading our own data failed: still deliver what is queued.
      this.log.error({ err }, 'information source: collecting our data failed');
    }
    try {
      await this.deliver();
      await this.intake.pull(this.now);
      this.failures = 0;
      this.lastSuccessAt = this.now();
      this.lastError = null;
    } catch (err) {
      this.failures++;
      this.lastError = (err as Error).message;
      const level = err instanceof ProvinceUnavailableError ? 'warn' : 'error';
      this.log[level]({ err: this.lastError, failures: this.failures }, 'information source: sync failed');
    }
  }

  private async deliver(): Promise<void> {
    for (;;) {
      const due = this.outbox.due(this.now(), 100);
      if (due.length === 0) return;
      for (const msg of due) {
        try {
          await this.client.send(msg.method, msg.path, msg.body);
          this.outbox.delivered(msg.id);
        } catch (err) {
          if (err instanceof ProvinceRefusedError) {
            // Kept, not dropped: visible in the status until someone fixes the data or the province.
            this.outbox.failed(msg.id, err.message, this.now() + this.deps.config.retryMaxMs);
            this.log.error({ path: msg.path, err: err.message }, 'information source: message refused');
            continue;
          }
          this.outbox.failed(msg.id, (err as Error).message, this.now());
          throw err;
        }
      }
    }
  }

  /** Records the commune's decision and tells the province (through the outbox). */
  decide(bulletin: Bulletin, status: 'approved' | 'rejected', by: string, note: string | null): void {
    const now = this.now();
    this.deps.db.transaction(() => {
      this.bulletins.decide(bulletin.id, status, by, note, now);
      this.intake.decisionReceipt(bulletin.id, status, note, now);
    })();
  }

  /** Forgets what was published so the next sync sends everything again; queued messages become due. */
  republishAll(): void {
    this.deps.db.prepare('DELETE FROM infosrc_published').run();
    this.outbox.retryAllNow(this.now());
  }

  status(): ExchangeStatus {
    return {
      connected: this.failures === 0 && this.lastSuccessAt !== null,
      lastSyncAt: this.lastSyncAt,
      lastSuccessAt: this.lastSuccessAt,
      lastError: this.lastError,
      consecutiveFailures: this.failures,
      nextAttemptAt: this.stopped ? null : this.nextAttemptAt,
      outbox: this.outbox.depth(),
      bulletinsPending: this.bulletins.pendingCount(this.now()),
    };
  }
}
