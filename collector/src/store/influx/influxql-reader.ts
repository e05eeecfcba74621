import {
  type LatestQuery,
  LatestQuerySchema,
  type LatestValue,
  type QueryResult,
  type Series,
  type SeriesQuery,
  SeriesQuerySchema,
} from '../types.js';
import type { InfluxqlClient } from './influxql-client.js';
import { type Rollup, latestQuery, rangeQuery } from './influxql.js';

/** The read side shared by every Influx flavour: InfluxQL ranges and latest values. */
export class InfluxqlReader {
  constructor(
    private readonly client: InfluxqlClient,
    private readonly rollup: Rollup | null,
  ) {}

  async query(input: SeriesQuery): Promise<QueryResult> {
    const q = SeriesQuerySchema.parse(input);
    const { text, intervalMs, resolution } = rangeQuery(q, this.rollup);
    const [result = []] = await this.client.run(text);
    const series: Series[] = [];
    for (const s of result) {
      for (const field of q.fields) {
        const col = s.columns.indexOf(field);
        const points: Array<[number, number]> = [];
        for (const row of s.values) {
          const t = row[0];
          const v = row[col];
          if (typeof t === 'number' && typeof v === 'number') points.push([t, v]);
        }
        if (points.length > 0) series.push({ tags: s.tags ?? {}, field, points });
      }
    }
    return { intervalMs, resolution, series };
  }

  async latest(input: LatestQuery): Promise<LatestValue[]> {
    const q = LatestQuerySchema.parse(input);
    // One statement per field: several selectors in one SELECT would report time 0.
    const statements = q.fields.map((f) => latestQuery(q.measurement, [f], q.where)).join('; ');
    const results = await this.client.run(statements);
    const out: LatestValue[] = [];
    results.forEach((result, i) => {
      const field = q.fields[i] as string;
      for (const s of result) {
        const row = s.values[0];
        const t = row?.[0];
        const v = row?.[1];
        if (typeof t === 'number' && typeof v === 'number')
          out.push({ tags: s.tags ?? {}, field, time: t, value: v });
      }
    });
    return out;
  }
}
