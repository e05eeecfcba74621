import type { Quality, TelemetryColumn, TelemetryColumns } from '@xaso/device-profiles/contract';
import { seriesKey, tag, toLine } from '../store/influx/line-protocol.js';
import { LineBytes } from './line-bytes.js';
import { MEASUREMENTS } from './measurements.js';
import { allGoodLineBytes, isAllGood } from './plain-table-bytes.js';
import {
  type PointContext,
  type SourceGroup,
  addChannel,
  isGoodReading,
  qualityAt,
  sourceGroups,
  valueAt,
} from './telemetry-points.js';

export interface ColumnLines {
  /** Line protocol, newline-separated: exactly `toLines(columnPoints(batch))`. */
  lines: string;
  points: number;
  flagged: number;
}

export interface ColumnLineBytes extends Omit<ColumnLines, 'lines'> {
  /** The same line protocol as `columnLines`, as UTF-8 bytes. */
  bytes: Buffer;
}

const NEWLINE = 10;
const SPACE = 32;
const COMMA = 44;

const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

/** A flagged or unreadable reading: its own quality_flags line, as `telemetryPoints` makes it. */
function flagLine(
  group: SourceGroup,
  channel: string,
  quality: Quality,
  value: number | null,
  ts: number,
): string {
  const fields: Record<string, number> = { count: 1 };
  if (value !== null && Number.isFinite(value)) fields.value = value;
  const tags = { ...group.tags, channel, quality, domain: group.cls.measurement };
  const line = toLine({ measurement: MEASUREMENTS.qualityFlags, tags, fields, time: ts });
  if (line === null) throw new Error('a quality flag always has a count');
  return line;
}

/** The channels of each source, or null for a batch `columnLines` declines (see there). */
function simpleChannels(batch: TelemetryColumns): Map<string, Set<string>> | null {
  const { times, columns } = batch;
  for (let i = 1; i < times.length; i++) if ((times[i] as number) <= (times[i - 1] as number)) return null;
  const channelsBySource = new Map<string, Set<string>>();
  for (const c of columns) {
    if (ARRAY_INDEX.test(c.channel) || channelsBySource.get(c.source)?.has(c.channel)) return null;
    addChannel(channelsBySource, c.source, c.channel);
  }
  return channelsBySource;
}

/**
 * What `columnLines` would return as counts, without building a line: lets ingest keep the batch as it
 * came (the drain builds the lines) and still count points and flags. Null where `columnLines` declines.
 */
export function columnLineCounts(batch: TelemetryColumns): Omit<ColumnLines, 'lines'> | null {
  const channelsBySource = simpleChannels(batch);
  if (!channelsBySource) return null;
  if (isAllGood(batch.columns, batch.times.length))
    return { points: batch.times.length * channelsBySource.size, flagged: 0 };
  const sources: string[] = [];
  const sourceIndex = batch.columns.map((c) => {
    const at = sources.indexOf(c.source);
    return at === -1 ? sources.push(c.source) - 1 : at;
  });
  const seen = new Uint8Array(sources.length);
  let points = 0;
  let flagged = 0;
  for (let i = 0; i < batch.times.length; i++) {
    seen.fill(0);
    for (let k = 0; k < batch.columns.length; k++) {
      const c = batch.columns[k] as TelemetryColumn;
      const s = sourceIndex[k] as number;
      const value = valueAt(c, i);
      const quality = qualityAt(c, i);
      if (isGoodReading(value, quality)) {
        if (seen[s] === 0) {
          seen[s] = 1;
          points++;
        }
      } else {
        flagged++;
        points++;
      }
    }
  }
  return { points, flagged };
}

/** What every line of a batch is made of: sources, their series keys, `channel=` per column, column → source. */
interface LineLayout {
  plan: SourceGroup[];
  series: string[];
  fieldKeys: string[];
  sourceIndex: number[];
}

function lineLayout(batch: TelemetryColumns, ctx: PointContext): LineLayout | null {
  const channelsBySource = simpleChannels(batch);
  if (!channelsBySource) return null;
  const groups = sourceGroups(batch.deviceId, channelsBySource, ctx);
  const sources = [...groups.keys()];
  const plan = sources.map((source) => groups.get(source) as SourceGroup);
  return {
    plan,
    series: plan.map((g) => seriesKey({ measurement: g.cls.measurement, tags: g.tags })),
    fieldKeys: batch.columns.map((c) => `${tag(c.channel)}=`),
    sourceIndex: batch.columns.map((c) => sources.indexOf(c.source)),
  };
}

/**
 * Line protocol straight from a columnar batch, without a Point object per instant: the series key of each
 * source is built once and each line is one string. Null for the rare batches where the point path would
 * merge or reorder fields (repeated instants, a channel twice, a channel named like an array index); those
 * take `columnPoints` + `toLines`. tests/unit/collector/column-lines.test.ts proves the equality.
 */
export function columnLines(batch: TelemetryColumns, ctx: PointContext): ColumnLines | null {
  const { times, columns } = batch;
  const layout = lineLayout(batch, ctx);
  if (!layout) return null;
  const { plan, series, fieldKeys, sourceIndex } = layout;
  const out: string[] = [];
  let flagged = 0;
  // Reused for every instant: a source's fields so far, and the line it will take (its first good value's).
  const fields: string[] = plan.map(() => '');
  const slot: number[] = plan.map(() => -1);
  for (let i = 0; i < times.length; i++) {
    const ts = times[i] as number;
    fields.fill('');
    slot.fill(-1);
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k] as TelemetryColumn;
      const s = sourceIndex[k] as number;
      const value = valueAt(c, i);
      const quality = qualityAt(c, i);
      if (isGoodReading(value, quality)) {
        if (slot[s] === -1) {
          slot[s] = out.length;
          out.push('');
          fields[s] = `${fieldKeys[k]}${value}`;
        } else fields[s] += `,${fieldKeys[k]}${value}`;
      } else {
        flagged++;
        out.push(flagLine(plan[s] as SourceGroup, c.channel, quality, value, ts));
      }
    }
    for (let s = 0; s < slot.length; s++) {
      const at = slot[s] as number;
      if (at !== -1) out[at] = `${series[s]} ${fields[s]} ${ts}`;
    }
  }
  return { lines: out.join('\n'), points: out.length, flagged };
}

/**
 * `columnLines`, written straight into bytes: each line is a prepared series key, prepared field keys and
 * digits, with no intermediate string. The drain's hot path; tests hold it byte-equal to `columnLines`.
 */
export function columnLineBytes(batch: TelemetryColumns, ctx: PointContext): ColumnLineBytes | null {
  const { times, columns } = batch;
  const layout = lineLayout(batch, ctx);
  if (!layout) return null;
  const { plan, sourceIndex } = layout;
  const series = layout.series.map((key) => Buffer.from(`${key} `));
  const fieldKeys = layout.fieldKeys.map((key) => Buffer.from(key));
  const columnsOf: number[][] = plan.map(() => []);
  for (const [k, s] of sourceIndex.entries()) columnsOf[s]?.push(k);
  if (isAllGood(columns, times.length)) {
    const bytes = allGoodLineBytes(times, columns, series, fieldKeys, columnsOf);
    return { bytes, points: times.length * plan.length, flagged: 0 };
  }
  let perInstant = 0;
  for (const b of series) perInstant += b.length + 16;
  for (const b of fieldKeys) perInstant += b.length + 8;
  const out = new LineBytes(perInstant * times.length);
  const started = new Uint8Array(plan.length);
  let points = 0;
  let flagged = 0;
  for (let i = 0; i < times.length; i++) {
    const ts = times[i] as number;
    started.fill(0);
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k] as TelemetryColumn;
      const s = sourceIndex[k] as number;
      const value = valueAt(c, i);
      const quality = qualityAt(c, i);
      if (points > 0 && (started[s] === 0 || !isGoodReading(value, quality))) out.byte(NEWLINE);
      if (!isGoodReading(value, quality)) {
        flagged++;
        points++;
        out.text(flagLine(plan[s] as SourceGroup, c.channel, quality, value, ts));
        continue;
      }
      if (started[s] === 1) continue;
      // The source's first good value at this instant: its whole line goes here, as `columnLines` orders it.
      started[s] = 1;
      points++;
      out.raw(series[s] as Buffer);
      let first = true;
      for (const j of columnsOf[s] as number[]) {
        if (j < k) continue;
        const cj = columns[j] as TelemetryColumn;
        const vj = valueAt(cj, i);
        if (!isGoodReading(vj, qualityAt(cj, i))) continue;
        if (!first) out.byte(COMMA);
        first = false;
        out.raw(fieldKeys[j] as Buffer);
        out.number(vj as number);
      }
      out.byte(SPACE);
      out.number(ts);
    }
  }
  return { bytes: out.bytes(), points, flagged };
}
