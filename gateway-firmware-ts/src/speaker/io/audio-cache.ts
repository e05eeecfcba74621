import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { type PlaylistItem, PlaylistItemSchema } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AudioCache } from '../ports.js';
import { AudioFetchError, download } from './audio-download.js';

export const AudioCacheConfigSchema = z.object({
  dir: z.string().min(1),
  /** The console's base URL; `PlaylistItem.path` is resolved against it. */
  consoleUrl: z.url(),
  budgetBytes: z.number().int().positive(),
  /** Downloads running at once during prefetch (a 3G uplink is narrow). */
  concurrency: z.number().int().min(1).max(8).default(2),
  retries: z.number().int().min(0).max(10).default(3),
  retryBaseMs: z.number().int().positive().default(2_000),
  timeoutMs: z.number().int().positive().default(120_000),
  /** The most recently fetched items are kept (what is playing now and just before). */
  keepRecent: z.number().int().min(0).max(16).default(2),
});
export type AudioCacheConfig = z.infer<typeof AudioCacheConfigSchema>;

/** The device's HTTP Basic credentials: its id and its MQTT password (the console checks its registry). */
export interface DeviceCredentials {
  deviceId: string;
  password: string;
}

interface Entry {
  file: string;
  bytes: number;
  usedAt: number;
}

const AUDIO_ID = /^[a-f0-9]{64}$/;
const PART = '.part';

/**
 * Audio on the gateway's disk, named by SHA-256. Downloads are verified before they become visible; the least
 * recently used files go when the byte budget is reached, except what is playing or needed by upcoming slots.
 */
export class HttpAudioCache implements AudioCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly recent: string[] = [];
  private upcoming = new Set<string>();
  private readonly queue: PlaylistItem[] = [];
  private running = 0;
  private roomLock: Promise<void> = Promise.resolve();

  private constructor(
    private readonly config: AudioCacheConfig,
    private credentials: DeviceCredentials,
    private readonly log: Logger,
    private readonly onPrefetchError: (item: PlaylistItem, error: AudioFetchError) => void,
  ) {}

  /** Opens the cache directory: removes half-written downloads and indexes what is there. */
  static async open(
    config: z.input<typeof AudioCacheConfigSchema>,
    credentials: DeviceCredentials,
    log: Logger,
    onPrefetchError: (item: PlaylistItem, error: AudioFetchError) => void = () => undefined,
  ): Promise<HttpAudioCache> {
    const parsed = AudioCacheConfigSchema.parse(config);
    const cache = new HttpAudioCache(parsed, credentials, log, onPrefetchError);
    await mkdir(parsed.dir, { recursive: true });
    for (const name of await readdir(parsed.dir)) {
      const file = join(parsed.dir, name);
      if (name.endsWith(PART)) {
        await rm(file, { force: true });
        continue;
      }
      const audioId = name.slice(0, 64);
      if (!AUDIO_ID.test(audioId)) continue;
      const info = await stat(file);
      cache.entries.set(audioId, { file, bytes: info.size, usedAt: info.mtimeMs });
    }
    return cache;
  }

  /** Bytes on disk in verified files. */
  get usedBytes(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.bytes;
    return total;
  }

  /** The MQTT password can change (re-enrollment); later downloads use the new one. */
  setCredentials(credentials: DeviceCredentials): void {
    this.credentials = credentials;
  }

  has(audioId: string): boolean {
    return this.entries.has(audioId);
  }

  fetch(item: PlaylistItem): Promise<string> {
    const parsed = PlaylistItemSchema.safeParse(item);
    if (!parsed.success) return Promise.reject(new Error(`invalid playlist item: ${parsed.error.message}`));
    this.markRecent(item.audioId);
    return this.obtain(item);
  }

  /** Downloads what upcoming slots need, `concurrency` at a time; these items are not evicted meanwhile. */
  prefetch(items: readonly PlaylistItem[]): void {
    this.upcoming = new Set(items.map((i) => i.audioId));
    // Slots that are no longer upcoming (a newer schedule replaced them) are not worth the uplink.
    const stale = this.queue.filter((i) => !this.upcoming.has(i.audioId));
    for (const item of stale) this.queue.splice(this.queue.indexOf(item), 1);
    const queued = new Set(this.queue.map((i) => i.audioId));
    for (const item of items) {
      if (this.entries.has(item.audioId) || this.inFlight.has(item.audioId) || queued.has(item.audioId))
        continue;
      queued.add(item.audioId);
      this.queue.push(item);
    }
    this.pump();
  }

  private pump(): void {
    while (this.running < this.config.concurrency) {
      const item = this.queue.shift();
      if (item === undefined) return;
      this.running += 1;
      void this.obtain(item)
        .catch((err: unknown) => {
          const error = err instanceof AudioFetchError ? err : new AudioFetchError('invalid', String(err));
          this.log.warn({ audioId: item.audioId, kind: error.kind, err: error.message }, 'prefetch failed');
          this.onPrefetchError(item, error);
        })
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }

  /** The file if cached (touching it), else one shared download with retries. */
  private obtain(item: PlaylistItem): Promise<string> {
    const entry = this.entries.get(item.audioId);
    // Someone may have deleted the file behind our back (disk cleanup, a technician): fetch it again.
    if (entry && !existsSync(entry.file)) this.entries.delete(item.audioId);
    else if (entry) {
      entry.usedAt = Date.now();
      void utimes(entry.file, new Date(), new Date()).catch(() => undefined);
      return Promise.resolve(entry.file);
    }
    let pending = this.inFlight.get(item.audioId);
    if (pending === undefined) {
      pending = this.downloadWithRetries(item).finally(() => this.inFlight.delete(item.audioId));
      this.inFlight.set(item.audioId, pending);
    }
    return pending;
  }

  private async downloadWithRetries(item: PlaylistItem): Promise<string> {
    const ext = extname(item.path).toLowerCase();
    const finalFile = join(this.config.dir, item.audioId + (/^\.[a-z0-9]{1,5}$/.test(ext) ? ext : ''));
    const { deviceId, password } = this.credentials;
    const authorization = `Basic ${Buffer.from(`${deviceId}:${password}`).toString('base64')}`;
    const tempFile = join(this.config.dir, item.audioId + PART);
    for (let attempt = 0; ; attempt++) {
      try {
        const bytes = await download({
          url: new URL(item.path, this.config.consoleUrl),
          audioId: item.audioId,
          authorization,
          tempFile,
          maxBytes: this.config.budgetBytes,
          timeoutMs: this.config.timeoutMs,
        });
        // One eviction pass at a time, so two finishing downloads cannot both count the same free space.
        const admitted = this.roomLock.then(async () => {
          await this.makeRoom(bytes, item.audioId, tempFile);
          await rename(tempFile, finalFile);
          this.entries.set(item.audioId, { file: finalFile, bytes, usedAt: Date.now() });
        });
        this.roomLock = admitted.catch(() => undefined);
        await admitted;
        this.log.info({ audioId: item.audioId, bytes }, 'audio cached');
        return finalFile;
      } catch (err) {
        if (!(err instanceof AudioFetchError) || !err.retryable || attempt >= this.config.retries) throw err;
        const delay = this.config.retryBaseMs * 2 ** attempt;
        this.log.info({ audioId: item.audioId, err: err.message, delay }, 'audio download retry');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Evicts least recently used, unprotected files until `bytes` more fit; refuses when they cannot. */
  private async makeRoom(bytes: number, audioId: string, file: string): Promise<void> {
    const protectedIds = new Set([...this.recent, ...this.upcoming, ...this.inFlight.keys()]);
    const candidates = [...this.entries.entries()]
      .filter(([id]) => !protectedIds.has(id))
      .sort(([, a], [, b]) => a.usedAt - b.usedAt);
    let used = this.usedBytes;
    while (used + bytes > this.config.budgetBytes) {
      const next = candidates.shift();
      if (next === undefined) {
        await rm(file, { force: true });
        throw new AudioFetchError(
          'budget',
          `cache budget too small: ${audioId} needs ${bytes} bytes, ${used} of ${this.config.budgetBytes} held by audio in use or upcoming`,
        );
      }
      const [id, entry] = next;
      this.entries.delete(id);
      await rm(entry.file, { force: true });
      used -= entry.bytes;
      this.log.info({ audioId: id, bytes: entry.bytes }, 'audio evicted');
    }
  }

  private markRecent(audioId: string): void {
    const at = this.recent.indexOf(audioId);
    if (at >= 0) this.recent.splice(at, 1);
    this.recent.push(audioId);
    if (this.recent.length > this.config.keepRecent) this.recent.shift();
  }
}
