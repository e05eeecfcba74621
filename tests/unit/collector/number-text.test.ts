import { describe, expect, it } from 'vitest';
import { MAX_NUMBER_BYTES, writeNumber } from '../../../collector/src/schema/number-text.js';
import { rng } from '../../harness/random.js';

const buf = Buffer.alloc(64);
const written = (v: number, at = 5): string => buf.toString('latin1', at, writeNumber(buf, at, v));

describe('numbers written as JavaScript prints them', () => {
  it('matches String(v) on the edges of each path', () => {
    const edges = [
      0,
      -0,
      1,
      9,
      10,
      2 ** 31 - 1,
      2 ** 31,
      99_999_999,
      100_000_000,
      1e15 - 1,
      1e15,
      2 ** 53,
      1e21,
      1e-6,
      1e-7,
      0.000001,
      0.0000015,
      0.1,
      0.5,
      0.1 + 0.2,
      1 / 3,
      2 / 3,
      12.5,
      999_999_999.5,
      1e9,
      1e9 - 0.25,
      123_456_789.123456,
      99_999_999.999_999_9,
      5e-324,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      1_764_567_890_123,
    ];
    for (const v of edges) {
      expect(written(v), String(v)).toBe(String(v));
      expect(written(-v), String(-v)).toBe(String(-v));
    }
  });

  it('matches String(v) on 300,000 readings, timestamps and arbitrary doubles', () => {
    const r = rng(23);
    const bits = new DataView(new ArrayBuffer(8));
    let mismatches = 0;
    for (let i = 0; i < 50_000; i++) {
      const places = Math.floor(r() * 8);
      const raw = r() * 10 ** (Math.floor(r() * 14) - 6);
      bits.setUint32(0, Math.floor(r() * 2 ** 32));
      bits.setUint32(4, Math.floor(r() * 2 ** 32));
      const arbitrary = bits.getFloat64(0);
      for (const v of [
        Math.round(raw * 10 ** places) / 10 ** places,
        -Number(raw.toFixed(places)),
        raw,
        Math.floor(r() * 2 ** 53),
        1_700_000_000_000 + Math.floor(r() * 1e11),
        Number.isFinite(arbitrary) ? arbitrary : i,
      ])
        if (written(v) !== String(v)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('never writes more than MAX_NUMBER_BYTES', () => {
    for (const v of [-1.2345678901234567e-308, -Number.MAX_VALUE, -Number.MIN_VALUE, -(2 ** 53) - 2])
      expect(writeNumber(buf, 0, v)).toBeLessThanOrEqual(MAX_NUMBER_BYTES);
  });
});
