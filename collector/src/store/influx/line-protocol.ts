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

/** A tag key, tag value or field key, escaped for line protocol. */
export const tag = (s: string): string => remembered(escapedTags, s, lineEscape.tag);

/** Measurement and sorted tags, escaped: the part of a line its series decides. */
export function seriesKey(p: Pick<Point, 'measurement' | 'tags'>): string {
  let key = remembered(escapedMeasurements, p.measurement, lineEscape.measurement);
  for (const k of Object.keys(p.tags).sort()) key += `,${tag(k)}=${tag(p.tags[k] as string)}`;
  return key;
}

function lineOf(series: string, p: Point): string | null {
  let fields = '';
  for (const key in p.fields) {
    const value = p.fields[key];
    if (typeof value === 'number' && Number.isFinite(value))
      fields += `${fields ? ',' : ''}${tag(key)}=${value}`;
  }
  return fields === '' ? null : `${series} ${fields} ${p.time}`;
}

/** Line protocol with ms precision; tags sorted (what InfluxDB recommends for write speed). */
export function toLine(p: Point): string | null {
  return lineOf(seriesKey(p), p);
}

export function toLines(points: readonly Point[]): string[] {
  const lines: string[] = [];
  // Points of one source share their tags object: its series key is built once, not once per point.
  let lastTags: Point['tags'] | null = null;
  let lastMeasurement = '';
  let series = '';
  for (const p of points) {
    if (p.tags !== lastTags || p.measurement !== lastMeasurement) {
      series = seriesKey(p);
      lastTags = p.tags;
      lastMeasurement = p.measurement;
    }
    const line = lineOf(series, p);
    if (line !== null) lines.push(line);
  }
  return lines;
}

/** Splits on `sep` where it is not backslash-escaped. */
function splitUnescaped(s: string, sep: string, limit = Number.POSITIVE_INFINITY): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length && parts.length < limit - 1; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === sep) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

const unescapeKey = (s: string): string => s.replace(/\\([ ,=n])/g, (_, c: string) => (c === 'n' ? '\n' : c));

/**
 * Reads back what `toLines` wrote (numeric fields, ms timestamps): the outbox keeps line protocol and a
 * point-based store (the embedded one, after a configuration change) still needs points.
 */
export function fromLines(text: string): Point[] {
  const points: Point[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [series = '', fieldText = '', time = ''] = splitUnescaped(line, ' ');
    const [measurement = '', ...tagPairs] = splitUnescaped(series, ',');
    const tags: Record<string, string> = {};
    for (const pair of tagPairs) {
      const [k = '', v = ''] = splitUnescaped(pair, '=', 2);
      tags[unescapeKey(k)] = unescapeKey(v);
    }
    const fields: Record<string, number> = {};
    for (const pair of splitUnescaped(fieldText, ',')) {
      const [k = '', v = ''] = splitUnescaped(pair, '=', 2);
      fields[unescapeKey(k)] = Number(v);
    }
    points.push({ measurement: unescapeKey(measurement), tags, fields, time: Number(time) });
  }
  return points;
}

/** The timestamp of every line (the text after its last space). */
export function lineTimes(text: string): number[] {
  const times: number[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start) times.push(Number(text.slice(text.lastIndexOf(' ', end - 1) + 1, end)));
    start = end + 1;
  }
  return times;
}
