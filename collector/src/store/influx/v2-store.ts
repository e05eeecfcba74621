import type { LatestQuery, LatestValue, Point, QueryResult, SeriesQuery, TimeSeriesStore } from '../types.js';
import { networkFailure, writeFailure } from './http-failure.js';
import { type PostReply, postBody } from './http-post.js';
import { InfluxqlClient } from './influxql-client.js';
import { InfluxqlReader } from './influxql-reader.js';
import { toLines } from './line-protocol.js';

export interface V2StoreOptions {
  url: string;
  org: string;
  bucket: string;
  token?: string;
  timeoutMs: number;
  /** Kept for callers that size batches; the body is sent whole, never split. */
  maxBatchLines: number;
}

/**
 * InfluxDB 2.x/3.x (and VictoriaMetrics) through /api/v2/write, one POST per outbox batch. No client
 * library on the write path: the official one re-counts every body's UTF-8 bytes in JavaScript and keeps
 * a lossy in-memory retry buffer, while the durable outbox already batches and retries; and no `fetch`,
 * which copies each body before sending it (`postBody`).
 * Reads go through InfluxQL on /query (2.x v1 compatibility, 3.x); VictoriaMetrics has no /query.
 */
export class InfluxV2Store implements TimeSeriesStore {
  readonly kind = 'influxdb-v2';
  private readonly writeUrl: URL;
  private readonly headers: Record<string, string>;
  private readonly reader: InfluxqlReader;

  constructor(private readonly o: V2StoreOptions) {
    const params = new URLSearchParams({ org: o.org, bucket: o.bucket, precision: 'ms' });
    this.writeUrl = new URL(`${o.url.replace(/\/$/, '')}/api/v2/write?${params}`);
    this.headers = {
      'Content-Type': 'text/plain; charset=utf-8',
      ...(o.token ? { Authorization: `Token ${o.token}` } : {}),
    };
    const client = new InfluxqlClient({ url: o.url, db: o.bucket, token: o.token, timeoutMs: o.timeoutMs });
    this.reader = new InfluxqlReader(client, null);
  }

  async write(points: readonly Point[]): Promise<void> {
    await this.writeLines(toLines(points).join('\n'));
  }

  async writeLines(lines: string | Buffer<ArrayBuffer>): Promise<void> {
    if (lines.length === 0) return;
    let res: PostReply;
    try {
      res = await postBody(this.writeUrl, this.headers, lines, this.o.timeoutMs);
    } catch (err) {
      throw networkFailure(err);
    }
    if (res.status === 204 || res.status === 200) return;
    throw writeFailure(res.status, res.body, res.retryAfter);
  }

  query(q: SeriesQuery): Promise<QueryResult> {
    return this.reader.query(q);
  }

  latest(q: LatestQuery): Promise<LatestValue[]> {
    return this.reader.latest(q);
  }

  async close(): Promise<void> {}
}
