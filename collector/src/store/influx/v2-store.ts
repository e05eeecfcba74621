import { HttpError, InfluxDB, type WriteApi, setLogger } from '@influxdata/influxdb-client';
import type { LatestQuery, LatestValue, Point, QueryResult, SeriesQuery, TimeSeriesStore } from '../types.js';
import { networkFailure, writeFailure } from './http-failure.js';
import { InfluxqlClient } from './influxql-client.js';
import { InfluxqlReader } from './influxql-reader.js';
import { toLines } from './line-protocol.js';

// The client would print every failed write to the console; the outbox reports failures itself.
setLogger({ error: () => undefined, warn: () => undefined });

export interface V2StoreOptions {
  url: string;
  org: string;
  bucket: string;
  token?: string;
  timeoutMs: number;
  /** Larger than any outbox batch, so the client never splits a batch and flushes part of it on its own. */
  maxBatchLines: number;
}

/**
 * InfluxDB 2.x/3.x (and VictoriaMetrics) through /api/v2/write with the official client. Its own
 * retries are off: the in-memory retry buffer loses lines on overflow, so the durable outbox retries.
 * Reads go through InfluxQL on /query (2.x v1 compatibility, 3.x); VictoriaMetrics has no /query.
 */
export class InfluxV2Store implements TimeSeriesStore {
  readonly kind = 'influxdb-v2';
  private readonly writeApi: WriteApi;
  private readonly reader: InfluxqlReader;

  constructor(o: V2StoreOptions) {
    const influx = new InfluxDB({ url: o.url, token: o.token ?? '', timeout: o.timeoutMs });
    this.writeApi = influx.getWriteApi(o.org, o.bucket, 'ms', {
      maxRetries: 0,
      batchSize: o.maxBatchLines + 1,
      maxBufferLines: o.maxBatchLines + 1,
      flushInterval: 0,
      // The collector usually sits next to its database: compressing large batches costs more CPU than it saves.
      gzipThreshold: Number.MAX_SAFE_INTEGER,
    });
    const client = new InfluxqlClient({ url: o.url, db: o.bucket, token: o.token, timeoutMs: o.timeoutMs });
    this.reader = new InfluxqlReader(client, null);
  }

  async write(points: readonly Point[]): Promise<void> {
    await this.writeLines(toLines(points).join('\n'));
  }

  /** The whole body as one record: the client sends it unsplit (it joins records with newlines anyway). */
  async writeLines(lines: string): Promise<void> {
    if (lines === '') return;
    this.writeApi.writeRecord(lines);
    try {
      await this.writeApi.flush();
    } catch (err) {
      if (err instanceof HttpError) {
        const retryAfter = err.headers?.['retry-after'];
        throw writeFailure(
          err.statusCode,
          err.body ?? err.message,
          Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        );
      }
      throw networkFailure(err);
    }
  }

  query(q: SeriesQuery): Promise<QueryResult> {
    return this.reader.query(q);
  }

  latest(q: LatestQuery): Promise<LatestValue[]> {
    return this.reader.latest(q);
  }

  async close(): Promise<void> {
    await this.writeApi.close().catch(() => undefined);
  }
}
