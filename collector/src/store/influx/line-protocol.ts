import { escape as lineEscape } from '@influxdata/influxdb-client';
import type { Point } from '../types.js';

/**
 * Escaped names and tag values, remembered: a deployment has a few thousand distinct ones and every
 * point repeats them, so escaping each once takes the regex work off the drain's hot path.
 */
const ESCAPED_LIMIT = 50_000;
const escapedTags = new Map<string, string>();
const escapedMeasurements = new Map<string, string>();

function remembered(cache: Map<string, string>, raw: string, escapeRaw: (s: string) => string): string {
  let escaped = cache.get(raw);
  if (escaped === undefined) {
    escaped = escapeRaw(raw);
    if (cache.size >= ESCAPED_LIMIT) cache.clear();
    cache.set(raw, escaped);
  }
  return escaped;
}

const tag = (s: string): string => remembered(escapedTags, s, lineEscape.tag);

/** Line protocol with ms precision; tags sorted (what InfluxDB recommends for write speed). */
export function toLine(p: Point): string | null {
  let fields = '';
  for (const key in p.fields) {
    const value = p.fields[key];
    if (typeof value === 'number' && Number.isFinite(value))
      fields += `${fields ? ',' : ''}${tag(key)}=${value}`;
  }
  if (fields === '') return null;
  let line = remembered(escapedMeasurements, p.measurement, lineEscape.measurement);
  for (const key of Object.keys(p.tags).sort()) line += `,${tag(key)}=${tag(p.tags[key] as string)}`;
  return `${line} ${fields} ${p.time}`;
}

export function toLines(points: readonly Point[]): string[] {
  const lines: string[] = [];
  for (const p of points) {
    const line = toLine(p);
    if (line !== null) lines.push(line);
  }
  return lines;
}
