import {
  QUALITIES,
  TelemetryColumnsSchema,
  UNITS,
  decodeMessage,
  expandTelemetryColumns,
  topics,
} from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { decodeIngest } from '../../../collector/src/ingest/decode.js';
import { isPlainTelemetryColumns } from '../../../collector/src/ingest/telemetry-check.js';
import { SourceClassifier } from '../../../collector/src/schema/measurements.js';
import { columnPoints, telemetryPoints } from '../../../collector/src/schema/telemetry-points.js';
import { rng } from '../../harness/random.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** Values near every boundary the schema has, plus wrong types. */
const ODD_VALUES: Json[] = [
  null,
  true,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 1,
  '',
  'x'.repeat(65),
  'Dev-1',
  'µg/m³',
  'good',
  'GOOD',
  [],
  [1],
  ['good'],
  {},
];

/** A valid columnar batch, then up to three random mutations anywhere in it. */
function sample(r: () => number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const times: Json[] = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => 1_760_000_000_000 + i);
  const columns: JsonObject[] = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ({
    source: pick(['aqms', 'probe-1', 'x'.repeat(64)]),
    channel: pick(['pm25', 'ph', 'do']),
    unit: pick(UNITS),
    values: times.map(() => pick([null, 0, 12.5, -3, 1e6])),
    quality: r() < 0.5 ? pick(QUALITIES) : times.map(() => pick(QUALITIES)),
  }));
  const batch: JsonObject = {
    v: 2,
    deviceId: pick(['aq-1', 'x'.repeat(64), 'a.b_c-9']),
    seq: pick([0, 42, Number.MAX_SAFE_INTEGER]),
    ts: 1_760_000_000_000,
    times,
    columns,
  };
  if (r() < 0.3) batch.thinned = { fromTs: 0, toTs: 10, keptEvery: pick([2, 3]) };
  for (let m = Math.floor(r() * 4); m > 0; m--) {
    const targets: Array<JsonObject | Json[]> = [batch, times, columns];
    for (const c of columns) {
      if (typeof c !== 'object' || c === null || Array.isArray(c)) continue;
      targets.push(c);
      if (Array.isArray(c.values)) targets.push(c.values);
      if (Array.isArray(c.quality)) targets.push(c.quality);
    }
    const target = pick(targets);
    const action = r();
    if (Array.isArray(target)) {
      if (action < 0.3) target.pop();
      else if (action < 0.6) target.push(structuredClone(pick(ODD_VALUES)));
      else target[0] = structuredClone(pick(ODD_VALUES));
      continue;
    }
    const key = pick([...Object.keys(target), 'extra']);
    if (action < 0.25) delete target[key];
    else target[key] = structuredClone(pick(ODD_VALUES));
  }
  return JSON.parse(JSON.stringify(batch)) as Json;
}

describe('the fast columnar check is equivalent to the contract schema', () => {
  it('accepts only what zod accepts and returns unchanged (3,000 random near-valid batches)', () => {
    const r = rng(20261130);
    let accepted = 0;
    let rejectedByBoth = 0;
    for (let i = 0; i < 3_000; i++) {
      const input = sample(r);
      const zod = TelemetryColumnsSchema.safeParse(input);
      if (isPlainTelemetryColumns(input)) {
        accepted++;
        expect(zod.success, JSON.stringify(input)).toBe(true);
        expect(zod.data).toStrictEqual(input);
      } else if (zod.success) {
        // Only allowed where zod had to change the value, i.e. strip unknown keys.
        expect(zod.data, JSON.stringify(input)).not.toStrictEqual(input);
      } else {
        rejectedByBoth++;
      }
    }
    expect(accepted).toBeGreaterThan(300);
    expect(rejectedByBoth).toBeGreaterThan(300);
  });

  it('decodeIngest keeps a valid table as columns and gives decodeMessage verdicts otherwise', () => {
    const topic = topics.telemetry('aq-1');
    const ok = {
      v: 2,
      deviceId: 'aq-1',
      seq: 3,
      ts: 10,
      times: [10, 11],
      columns: [{ source: 's', channel: 'c', unit: 'ppm', values: [1, null], quality: ['good', 'nan'] }],
    };
    const fast = decodeIngest(topic, Buffer.from(JSON.stringify(ok)));
    const slow = decodeMessage(topic, JSON.stringify(ok));
    expect(fast.ok && fast.kind === 'telemetry-columns').toBe(true);
    if (fast.ok && fast.kind === 'telemetry-columns' && slow.ok)
      expect(expandTelemetryColumns(fast.columns)).toStrictEqual(slow.message);
    for (const bad of [
      { ...ok, extra: true },
      { ...ok, deviceId: 'aq-2' },
      { ...ok, times: [10] },
      { ...ok, v: 3 },
    ]) {
      const p = Buffer.from(JSON.stringify(bad));
      expect(decodeIngest(topic, p)).toStrictEqual(decodeMessage(topic, p));
    }
  });

  it('builds the same points from columns as from the expanded reading list (1,000 random batches)', () => {
    const r = rng(77);
    const classifier = new SourceClassifier({});
    let compared = 0;
    for (let i = 0; i < 1_000; i++) {
      const parsed = TelemetryColumnsSchema.safeParse(sample(r));
      if (!parsed.success) continue;
      // Repeated instants must merge into one point either way.
      if (r() < 0.2) parsed.data.times = parsed.data.times.map(() => parsed.data.times[0] ?? 0);
      const ctx = { classifier, commune: r() < 0.5 ? 'xa-an-binh' : undefined };
      expect(columnPoints(parsed.data, ctx)).toStrictEqual(
        telemetryPoints(expandTelemetryColumns(parsed.data), ctx),
      );
      compared++;
    }
    expect(compared).toBeGreaterThan(250);
  });
});
