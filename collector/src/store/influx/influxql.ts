import { type ResolvedSeriesQuery, bucketWidth } from '../types.js';

/** InfluxQL identifiers are double-quoted; string literals single-quoted. */
export const ident = (name: string): string => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
export const literal = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function whereClause(from: number | null, to: number | null, tags: Record<string, string>): string {
  const parts: string[] = [];
  if (from !== null) parts.push(`time >= ${from}ms`);
  if (to !== null) parts.push(`time < ${to}ms`);
  for (const [k, v] of Object.entries(tags)) parts.push(`${ident(k)} = ${literal(v)}`);
  return parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '';
}

export interface Rollup {
  /** Fully qualified source, e.g. "xaso"."xaso_long". */
  retentionPolicy: string;
  widthMs: number;
}

/**
 * One SELECT for a downsampled range. With a rollup (1.x continuous queries), fields are read from
 * the CQ's `mean_x`/`min_x`/`max_x`/`count_x` columns and re-aggregated.
 */
export function rangeQuery(
  q: ResolvedSeriesQuery,
  rollup: Rollup | null,
): { text: string; intervalMs: number; resolution: string } {
  const wanted = bucketWidth(q.from, q.to, q.maxPoints);
  const useRollup = rollup !== null && q.resolution === 'auto' && wanted >= rollup.widthMs ? rollup : null;
  const resolution = useRollup?.widthMs ?? 1;
  const intervalMs = Math.ceil(wanted / resolution) * resolution;
  const selects = q.fields.map((f) => {
    if (!useRollup) return `${q.aggregate}(${ident(f)}) AS ${ident(f)}`;
    const outer = q.aggregate === 'count' ? 'sum' : q.aggregate;
    return `${outer}(${ident(`${q.aggregate}_${f}`)}) AS ${ident(f)}`;
  });
  const source = useRollup ? `${useRollup.retentionPolicy}.${ident(q.measurement)}` : ident(q.measurement);
  const text =
    `SELECT ${selects.join(', ')} FROM ${source}${whereClause(q.from, q.to, q.where)}` +
    ` GROUP BY time(${intervalMs}ms), * fill(none)`;
  return { text, intervalMs, resolution: useRollup?.retentionPolicy ?? 'raw' };
}

export function latestQuery(measurement: string, fields: string[], where: Record<string, string>): string {
  const selects = fields.map((f) => `last(${ident(f)}) AS ${ident(f)}`);
  return `SELECT ${selects.join(', ')} FROM ${ident(measurement)}${whereClause(null, null, where)} GROUP BY *`;
}
