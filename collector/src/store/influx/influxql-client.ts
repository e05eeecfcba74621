import { z } from 'zod';

const SeriesSchema = z.object({
  name: z.string().default(''),
  tags: z.record(z.string(), z.string()).optional(),
  columns: z.array(z.string()),
  values: z.array(z.array(z.union([z.number(), z.string(), z.boolean(), z.null()]))).default([]),
});

const QueryResponseSchema = z.object({
  results: z
    .array(
      z.object({
        statement_id: z.number().optional(),
        series: z.array(SeriesSchema).optional(),
        error: z.string().optional(),
      }),
    )
    .default([]),
  error: z.string().optional(),
});

export type InfluxSeries = z.infer<typeof SeriesSchema>;

export interface InfluxqlClientOptions {
  url: string;
  db: string;
  username?: string;
  password?: string;
  /** 2.x/3.x: a token sent as `Authorization: Token …`. */
  token?: string;
  timeoutMs: number;
}

/** InfluxQL over /query, which 1.x, 2.x (v1 compatibility) and 3.x all serve; one result list per statement. */
export class InfluxqlClient {
  constructor(private readonly o: InfluxqlClientOptions) {}

  headers(): Record<string, string> {
    if (this.o.token) return { Authorization: `Token ${this.o.token}` };
    if (this.o.username !== undefined) {
      const basic = Buffer.from(`${this.o.username}:${this.o.password ?? ''}`).toString('base64');
      return { Authorization: `Basic ${basic}` };
    }
    return {};
  }

  /** Runs statements; POST because DDL (CREATE DATABASE, CQs) requires it and long queries do not fit a URL. */
  async run(statements: string, options: { db?: boolean } = {}): Promise<InfluxSeries[][]> {
    const params = new URLSearchParams({ q: statements, epoch: 'ms' });
    if (options.db !== false) params.set('db', this.o.db);
    const res = await fetch(`${this.o.url.replace(/\/$/, '')}/query`, {
      method: 'POST',
      headers: { ...this.headers(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
      signal: AbortSignal.timeout(this.o.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`InfluxQL query failed with HTTP ${res.status}: ${text.slice(0, 300)}`);
    const parsed = QueryResponseSchema.parse(JSON.parse(text));
    if (parsed.error) throw new Error(`InfluxQL error: ${parsed.error}`);
    return parsed.results.map((r) => {
      if (r.error) throw new Error(`InfluxQL error: ${r.error}`);
      return r.series ?? [];
    });
  }
}
