import type { Logger } from 'pino';
import type { InfluxStoreConfig } from '../../config/schema.js';
import {
  type LatestQuery,
  type LatestValue,
  type Point,
  type QueryResult,
  type SeriesQuery,
  StoreWriteError,
  type TimeSeriesStore,
} from '../types.js';
import { type InfluxApi, detectInfluxApi } from './detect-version.js';
import { InfluxV1Store } from './v1-store.js';
import { InfluxV2Store } from './v2-store.js';

/**
 * Chooses the v1 or v2 implementation on first use, so the collector starts (and queues in its
 * outbox) while the database is still down; detection failures are retryable write errors.
 */
export class InfluxStore implements TimeSeriesStore {
  private inner: TimeSeriesStore | null = null;

  constructor(
    private readonly config: InfluxStoreConfig,
    private readonly maxBatchLines: number,
    private readonly log: Logger,
  ) {}

  get kind(): string {
    return this.inner?.kind ?? 'influxdb-undetected';
  }

  private async resolve(): Promise<TimeSeriesStore> {
    if (this.inner) return this.inner;
    let api: InfluxApi;
    if (this.config.version === 'auto') {
      try {
        api = await detectInfluxApi(this.config.url, this.config.timeoutMs, this.log);
      } catch (err) {
        throw new StoreWriteError(
          `cannot detect the InfluxDB version at ${this.config.url}: ${(err as Error).message}`,
          true,
        );
      }
      this.log.info({ url: this.config.url, api }, 'detected database write API');
    } else {
      api = this.config.version;
    }
    const c = this.config;
    this.inner =
      api === '1'
        ? new InfluxV1Store({
            url: c.url,
            db: c.db,
            rawRp: c.rp ?? 'autogen',
            rawRetention: c.rawRetention,
            longRp: c.longRp,
            longRetention: c.longRetention,
            username: c.username,
            password: c.password,
            timeoutMs: c.timeoutMs,
            manageSchema: c.manageSchema,
            log: this.log,
          })
        : new InfluxV2Store({
            url: c.url,
            org: c.org,
            bucket: c.bucket ?? c.db,
            token: c.token,
            timeoutMs: c.timeoutMs,
            maxBatchLines: this.maxBatchLines,
          });
    return this.inner;
  }

  async write(points: readonly Point[]): Promise<void> {
    await (await this.resolve()).write(points);
  }

  async writeLines(lines: string | Buffer<ArrayBuffer>): Promise<void> {
    const inner = await this.resolve();
    if (inner.writeLines) await inner.writeLines(lines);
    else throw new StoreWriteError(`${inner.kind} does not take line protocol`, false);
  }

  async query(q: SeriesQuery): Promise<QueryResult> {
    return (await this.resolve()).query(q);
  }

  async latest(q: LatestQuery): Promise<LatestValue[]> {
    return (await this.resolve()).latest(q);
  }

  async close(): Promise<void> {
    await this.inner?.close();
  }
}
