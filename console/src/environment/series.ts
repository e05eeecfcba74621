import type { TimeSeriesReader } from '../app/env.js';

/** One chart's data, column-wise as uPlot draws it: shared bucket times, then per field mean/min/max. */
export interface StationSeries {
  from: number;
  to: number;
  /** Bucket width the store used (the resolution actually read). */
  intervalMs: number;
  resolution: string;
  times: number[];
  fields: { field: string; mean: (number | null)[]; min: (number | null)[]; max: (number | null)[] }[];
}

export interface SeriesRequest {
  measurement: string;
  stationId: string;
  fields: string[];
  from: number;
  to: number;
  maxPoints: number;
}

/** Downsampled server-side: the store answers at most maxPoints buckets per field whatever the range. */
export async function stationSeries(store: TimeSeriesReader, r: SeriesRequest): Promise<StationSeries> {
  const query = (aggregate: 'mean' | 'min' | 'max') =>
    store.query({
      measurement: r.measurement,
      fields: r.fields,
      where: { device: r.stationId },
      from: r.from,
      to: r.to,
      aggregate,
      maxPoints: r.maxPoints,
    });
  const [mean, min, max] = await Promise.all([query('mean'), query('min'), query('max')]);
  const timeSet = new Set<number>();
  for (const s of mean.series) for (const [t] of s.points) timeSet.add(t);
  const times = [...timeSet].sort((a, b) => a - b);
  const slot = new Map(times.map((t, i) => [t, i]));
  const column = (result: typeof mean, field: string) => {
    const out: (number | null)[] = new Array(times.length).fill(null);
    // Several instruments on one gateway may report a field; the first series of it wins, as in the list.
    const s = result.series.find((x) => x.field === field);
    for (const [t, v] of s?.points ?? []) {
      const i = slot.get(t);
      if (i !== undefined) out[i] = v;
    }
    return out;
  };
  return {
    from: r.from,
    to: r.to,
    intervalMs: mean.intervalMs,
    resolution: mean.resolution,
    times,
    fields: r.fields.map((field) => ({
      field,
      mean: column(mean, field),
      min: column(min, field),
      max: column(max, field),
    })),
  };
}
