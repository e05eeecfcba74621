import { escape as lineEscape } from '@influxdata/influxdb-client';
import type { Point } from '../types.js';

/** Line protocol with ms precision; tags sorted (what InfluxDB recommends for write speed). */
export function toLine(p: Point): string | null {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(p.fields)) {
    if (Number.isFinite(value)) fields.push(`${lineEscape.tag(key)}=${value}`);
  }
  if (fields.length === 0) return null;
  let line = lineEscape.measurement(p.measurement);
  for (const key of Object.keys(p.tags).sort())
    line += `,${lineEscape.tag(key)}=${lineEscape.tag(p.tags[key] as string)}`;
  return `${line} ${fields.join(',')} ${p.time}`;
}

export function toLines(points: readonly Point[]): string[] {
  const lines: string[] = [];
  for (const p of points) {
    const line = toLine(p);
    if (line !== null) lines.push(line);
  }
  return lines;
}
