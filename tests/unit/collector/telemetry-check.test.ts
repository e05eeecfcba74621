import {
  QUALITIES,
  TelemetryBatchSchema,
  UNITS,
  decodeMessage,
  topics,
} from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { decodeIngest } from '../../../collector/src/ingest/decode.js';
import { isPlainTelemetryBatch } from '../../../collector/src/ingest/telemetry-check.js';
import { rng } from '../../harness/random.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values near every boundary the schema has, plus wrong types. */
const ODD_VALUES: Json[] = [
  null,
  true,
  0,
  -0,
  -1,
  1.5,
  2,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 1,
  1e300,
  -1e-7,
  '',
  'a',
  'x'.repeat(64),
  'x'.repeat(65),
  'Dev-1',
  'dev/1',
  '.dev',
  'µg/m³',
  'good',
  'GOOD',
  '1',
  [],
  [1],
  {},
];

function sample(r: () => number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const odd = (): Json => structuredClone(pick(ODD_VALUES));
  const readings: Json[] = Array.from({ length: 1 + Math.floor(r() * 4) }, () => ({
    source: pick(['aqms', 'probe-1', 'x'.repeat(64)]),
    channel: pick(['pm25', 'ph', 'do']),
    value: pick([null, 0, 12.5, -3, 1e6]),
    unit: pick(UNITS),
    ts: pick([0, 1_760_000_000_000, Number.MAX_SAFE_INTEGER]),
    quality: pick(QUALITIES),
  }));
  const batch: { [k: string]: Json } = {
    v: 1,
    deviceId: pick(['aq-1', 'x'.repeat(64), 'a.b_c-9', '0']),
    seq: pick([0, 1, 42, Number.MAX_SAFE_INTEGER]),
    ts: 1_760_000_000_000,
    readings,
  };
  if (r() < 0.3) batch.thinned = { fromTs: 0, toTs: 10, keptEvery: pick([2, 3, 100]) };
  // Then up to three mutations anywhere in the tree: change, delete or add a key, or an array element.
  const mutations = Math.floor(r() * 4);
  for (let m = 0; m < mutations; m++) {
    const targets: Array<{ [k: string]: Json } | Json[]> = [batch, readings];
    for (const x of readings) if (x && typeof x === 'object') targets.push(x as { [k: string]: Json });
    if (batch.thinned && typeof batch.thinned === 'object')
      targets.push(batch.thinned as { [k: string]: Json });
    const target = pick(targets);
    const action = r();
    if (Array.isArray(target)) {
      if (action < 0.3) target.length = 0;
      else if (action < 0.6) target.push(odd());
      else target[0] = odd();
      continue;
    }
    const keys = Object.keys(target);
    const key = pick([...keys, 'extra', '__proto__']);
    if (action < 0.25) delete target[key];
    // An own "__proto__" key, as JSON.parse makes it, not a prototype change.
    else
      Object.defineProperty(target, key, {
        value: odd(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  // What the collector sees is always JSON.parse output.
  return JSON.parse(JSON.stringify(batch)) as Json;
}

describe('the fast telemetry check is equivalent to the contract schema', () => {
  it('accepts only what zod accepts and returns unchanged (5,000 random near-valid batches)', () => {
    const r = rng(20261130);
    let accepted = 0;
    let rejectedByBoth = 0;
    for (let i = 0; i < 5_000; i++) {
      const input = sample(r);
      const fast = isPlainTelemetryBatch(input);
      const zod = TelemetryBatchSchema.safeParse(input);
      if (fast) {
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
    // The generator must exercise both sides, or the test proves nothing.
    expect(accepted).toBeGreaterThan(500);
    expect(rejectedByBoth).toBeGreaterThan(500);
  });

  it('infinite values (1e999 in JSON) and lone-key edge cases agree with zod', () => {
    const base = { v: 1, deviceId: 'aq-1', seq: 1, ts: 5, readings: [] as unknown[] };
    const reading = { source: 's', channel: 'c', value: 1, unit: 'ppm', ts: 5, quality: 'good' };
    const cases: unknown[] = [
      JSON.parse(
        '{"v":1,"deviceId":"aq-1","seq":1,"ts":5,"readings":[{"source":"s","channel":"c","value":1e999,"unit":"ppm","ts":5,"quality":"good"}]}',
      ),
      { ...base, readings: [reading] },
      { ...base, readings: Array.from({ length: 5000 }, () => reading) },
      { ...base, readings: Array.from({ length: 5001 }, () => reading) },
      { ...base, readings: [reading], thinned: { fromTs: 1, toTs: 2, keptEvery: 1 } },
      [base],
      null,
    ];
    for (const c of cases)
      expect(isPlainTelemetryBatch(c), JSON.stringify(c)?.slice(0, 200)).toBe(
        TelemetryBatchSchema.safeParse(c).success,
      );
  });

  it('decodeIngest gives the same result as decodeMessage, errors included', () => {
    const topic = topics.telemetry('aq-1');
    const ok = {
      v: 1,
      deviceId: 'aq-1',
      seq: 3,
      ts: 10,
      readings: [{ source: 's', channel: 'c', value: null, unit: 'ppm', ts: 10, quality: 'nan' }],
    };
    const payloads = [
      JSON.stringify(ok),
      JSON.stringify({ ...ok, extra: true }),
      JSON.stringify({ ...ok, deviceId: 'aq-2' }),
      JSON.stringify({ ...ok, seq: -1 }),
      '{not json',
    ];
    for (const p of payloads) {
      const fast = decodeIngest(topic, Buffer.from(p));
      const slow = decodeMessage(topic, Buffer.from(p));
      expect(fast).toStrictEqual(slow);
    }
    expect(decodeIngest(topics.status('aq-1'), Buffer.from('{}'))).toStrictEqual(
      decodeMessage(topics.status('aq-1'), Buffer.from('{}')),
    );
  });
});
