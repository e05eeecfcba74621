import type {
  Quality,
  TelemetryBatch,
  TelemetryColumn,
  TelemetryColumns,
} from '@xaso/device-profiles/contract';
import type { Point } from '../store/types.js';
import { MEASUREMENTS, type SourceClass, type SourceClassifier } from './measurements.js';

export interface PointContext {
  classifier: SourceClassifier;
  /** Commune (area) of the device, when known. */
  commune: string | undefined;
}

export interface TelemetryPoints {
  points: Point[];
  good: number;
  flagged: number;
}

export interface SourceGroup {
  cls: SourceClass;
  tags: Record<string, string>;
  /** Points by reading time: the channels read at one instant share one point. */
  byTime: Map<number, Point>;
}

/** A column's value at instant i; a column shorter than `times` is a broken batch, not a missing value. */
export function valueAt(c: TelemetryColumn, i: number): number | null {
  const value = c.values[i];
  if (value === undefined) throw new Error(`column ${c.source}/${c.channel} is shorter than times`);
  return value;
}

/** A column's quality at instant i (one for the column, or one per instant). */
export function qualityAt(c: TelemetryColumn, i: number): Quality {
  const quality = typeof c.quality === 'string' ? c.quality : c.quality[i];
  if (quality === undefined) throw new Error(`column ${c.source}/${c.channel} is shorter than times`);
  return quality;
}

/** A reading that becomes a field of its series; anything else becomes a quality flag. */
export function isGoodReading(value: number | null | undefined, quality: Quality | undefined): boolean {
  return quality === 'good' && typeof value === 'number' && Number.isFinite(value);
}

export function sourceGroups(
  deviceId: string,
  channelsBySource: Map<string, Set<string>>,
  ctx: PointContext,
): Map<string, SourceGroup> {
  const groups = new Map<string, SourceGroup>();
  for (const [source, channels] of channelsBySource) {
    const cls = ctx.classifier.classify(deviceId, source, channels);
    const tags: Record<string, string> = { device: deviceId, source };
    if (cls.profile) tags.profile = cls.profile;
    if (ctx.commune) tags.commune = ctx.commune;
    groups.set(source, { cls, tags, byTime: new Map() });
  }
  return groups;
}

export function addChannel(
  channelsBySource: Map<string, Set<string>>,
  source: string,
  channel: string,
): void {
  let set = channelsBySource.get(source);
  if (!set) {
    set = new Set<string>();
    channelsBySource.set(source, set);
  }
  set.add(channel);
}

/** Accumulates the points of one batch, reading by reading. */
class PointBuilder {
  readonly points: Point[] = [];
  good = 0;
  flagged = 0;

  add(group: SourceGroup, channel: string, value: number | null, ts: number, quality: Quality): void {
    if (quality === 'good' && value !== null && Number.isFinite(value)) {
      this.good++;
      let point = group.byTime.get(ts);
      if (!point) {
        point = { measurement: group.cls.measurement, tags: group.tags, fields: {}, time: ts };
        group.byTime.set(ts, point);
        this.points.push(point);
      }
      point.fields[channel] = value;
    } else {
      this.flagged++;
      const fields: Record<string, number> = { count: 1 };
      if (value !== null && Number.isFinite(value)) fields.value = value;
      this.points.push({
        measurement: MEASUREMENTS.qualityFlags,
        tags: { ...group.tags, channel, quality, domain: group.cls.measurement },
        fields,
        time: ts,
      });
    }
  }
}

/**
 * Good values become fields named after their channel, grouped into one point per (source, instant).
 * Flagged or unreadable readings never enter those fields (so averages and AQI stay clean) but are
 * kept in `quality_flags`, one point per reading, with the raw value when there was one.
 */
export function telemetryPoints(batch: TelemetryBatch, ctx: PointContext): TelemetryPoints {
  const channelsBySource = new Map<string, Set<string>>();
  for (const r of batch.readings) addChannel(channelsBySource, r.source, r.channel);
  const groups = sourceGroups(batch.deviceId, channelsBySource, ctx);
  const out = new PointBuilder();
  for (const r of batch.readings)
    out.add(groups.get(r.source) as SourceGroup, r.channel, r.value, r.ts, r.quality);
  return { points: out.points, good: out.good, flagged: out.flagged };
}

/**
 * The same points from a columnar batch, without a reading object per value: identical to
 * `telemetryPoints(expandTelemetryColumns(batch))` (tests/unit/collector/column-points.test.ts).
 */
export function columnPoints(batch: TelemetryColumns, ctx: PointContext): TelemetryPoints {
  const channelsBySource = new Map<string, Set<string>>();
  for (const c of batch.columns) addChannel(channelsBySource, c.source, c.channel);
  const groups = sourceGroups(batch.deviceId, channelsBySource, ctx);
  const columnGroups = batch.columns.map((c) => groups.get(c.source) as SourceGroup);
  const out = new PointBuilder();
  for (const [i, ts] of batch.times.entries()) {
    for (const [k, c] of batch.columns.entries()) {
      out.add(columnGroups[k] as SourceGroup, c.channel, valueAt(c, i), ts, qualityAt(c, i));
    }
  }
  return { points: out.points, good: out.good, flagged: out.flagged };
}
