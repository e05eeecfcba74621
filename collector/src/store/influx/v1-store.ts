import type { Logger } from 'pino';
import {
  type LatestQuery,
  type LatestValue,
  type Point,
  type QueryResult,
  type SeriesQuery,
  StoreWriteError,
  type TimeSeriesStore,
} from '../types.js';
import { networkFailure, writeFailure } from './http-failure.js';
import { type PostReply, postBody } from './http-post.js';
import { InfluxqlClient } from './influxql-client.js';
import { InfluxqlReader } from './influxql-reader.js';
import { ident } from './influxql.js';
import { lineTimes, toLines } from './line-protocol.js';
import { ROLLUP_WIDTH_MS, type V1SchemaOptions, downsampleSelect, ensureV1Schema } from './v1-schema.js';

export interface V1StoreOptions extends V1SchemaOptions {
  url: string;
  username?: string;
  password?: string;
  timeoutMs: number;
  manageSchema: boolean;
  log: Logger;
}

/**
 * InfluxDB 1.x through its own API (/write and /query): 1.6/1.7 have no /api/v2/write.
 * Late points (older than the continuous query's window) get their hours re-downsampled after the write.
 */
export class InfluxV1Store implements TimeSeriesStore {
  readonly kind = 'influxdb-v1';
  private readonly client: InfluxqlClient;
  private readonly reader: InfluxqlReader;
  private schemaReady = false;

  constructor(private readonly o: V1StoreOptions) {
    this.client = new InfluxqlClient({ ...o, db: o.db });
    this.reader = new InfluxqlReader(this.client, {
      retentionPolicy: `${ident(o.db)}.${ident(o.longRp)}`,
      widthMs: ROLLUP_WIDTH_MS,
    });
  }

  private async ensureSchema(): Promise<void> {
    if (this.schemaReady || !this.o.manageSchema) return;
    try {
      await ensureV1Schema(this.client, this.o, this.o.log);
    } catch (err) {
      throw new StoreWriteError(`InfluxDB 1.x schema setup failed: ${(err as Error).message}`, true);
    }
    this.schemaReady = true;
  }

  async write(points: readonly Point[]): Promise<void> {
    await this.writeLines(toLines(points).join('\n'));
  }

  async writeLines(lines: string | Buffer<ArrayBuffer>): Promise<void> {
    await this.ensureSchema();
    if (lines.length === 0) return;
    const params = new URLSearchParams({ db: this.o.db, rp: this.o.rawRp, precision: 'ms' });
    let res: PostReply;
    try {
      const url = new URL(`${this.o.url.replace(/\/$/, '')}/write?${params}`);
      const headers = { ...this.client.headers(), 'Content-Type': 'text/plain; charset=utf-8' };
      res = await postBody(url, headers, lines, this.o.timeoutMs);
    } catch (err) {
      throw networkFailure(err);
    }
    if (res.status === 204 || res.status === 200) {
      await this.backfillLateHours(typeof lines === 'string' ? lines : lines.toString('utf8'));
      return;
    }
    if (res.status === 404) this.schemaReady = false;
    throw writeFailure(res.status, res.body, res.retryAfter);
  }

  /** The CQ resamples the last 2 hours; hours older than that that just received points are downsampled here. */
  private async backfillLateHours(lines: string): Promise<void> {
    if (!this.o.manageSchema) return;
    const window = Math.floor(Date.now() / ROLLUP_WIDTH_MS) * ROLLUP_WIDTH_MS - ROLLUP_WIDTH_MS;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const time of lineTimes(lines)) {
      if (time < window) {
        min = Math.min(min, time);
        max = Math.max(max, time);
      }
    }
    if (min === Number.POSITIVE_INFINITY) return;
    const from = Math.floor(min / ROLLUP_WIDTH_MS) * ROLLUP_WIDTH_MS;
    const to = Math.floor(max / ROLLUP_WIDTH_MS) * ROLLUP_WIDTH_MS + ROLLUP_WIDTH_MS;
    try {
      await this.client.run(downsampleSelect(this.o, ` WHERE time >= ${from}ms AND time < ${to}ms`));
    } catch (err) {
      this.o.log.warn({ err, from, to }, 'could not downsample late points; the hourly rollup misses them');
    }
  }

  query(q: SeriesQuery): Promise<QueryResult> {
    return this.reader.query(q);
  }

  latest(q: LatestQuery): Promise<LatestValue[]> {
    return this.reader.latest(q);
  }

  async close(): Promise<void> {}
}
