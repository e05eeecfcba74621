import type { TelemetryBatch } from '@xaso/device-profiles/contract';
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

interface SourceGroup {
  cls: SourceClass;
  tags: Record<string, string>;
  /** Points by reading time: the channels read at one instant share one point. */
  byTime: Map<number, Point>;
}

/**
 * Good values become fields named after their channel, grouped into one point per (source, instant).
 * Flagged or unreadable readings never enter those fields (so averages and AQI stay clean) but are
 * kept in `quality_flags`, one point per reading, with the raw value when there was one.
 */
export function telemetryPoints(batch: TelemetryBatch, ctx: PointContext): TelemetryPoints {
  const channelsBySource = new Map<string, Set<string>>();
  for (const r of batch.readings) {
    let set = channelsBySource.get(r.source);
    if (!set) {
      set = new Set<string>();
      channelsBySource.set(r.source, set);
    }
    set.add(r.channel);
  }
  const groups = new Map<string, SourceGroup>();
  for (const [source, channels] of channelsBySource) {
    const cls = ctx.classifier.classify(batch.deviceId, source, channels);
    const tags: Record<string, string> = { device: batch.deviceId, source };
    if (cls.profile) tags.profile = cls.profile;
    if (ctx.commune) tags.commune = ctx.commune;
    groups.set(source, { cls, tags, byTime: new Map() });
  }
  const points: Point[] = [];
  let good = 0;
  let flagged = 0;
  for (const r of batch.readings) {
    const group = groups.get(r.source) as SourceGroup;
    if (r.quality === 'good' && r.value !== null && Number.isFinite(r.value)) {
      good++;
      let point = group.byTime.get(r.ts);
      if (!point) {
        point = { measurement: group.cls.measurement, tags: group.tags, fields: {}, time: r.ts };
        group.byTime.set(r.ts, point);
        points.push(point);
      }
      point.fields[r.channel] = r.value;
    } else {
      flagged++;
      const fields: Record<string, number> = { count: 1 };
      if (r.value !== null && Number.isFinite(r.value)) fields.value = r.value;
      points.push({
        measurement: MEASUREMENTS.qualityFlags,
        tags: { ...group.tags, channel: r.channel, quality: r.quality, domain: group.cls.measurement },
        fields,
        time: r.ts,
      });
    }
  }
  return { points, good, flagged };
}
