import {
  DATA_TYPES,
  type DataType,
  type RegisterDef,
  StuckDetector,
  WORD_ORDERS,
  type WordOrder,
  decodeRegister,
  encodeRaw,
  encodeRegister,
  rawValue,
  wordsOf,
} from '@xaso/device-profiles';
import { describe, expect, it } from 'vitest';
import { rng as random } from '../../harness/random.js';

function reg(type: DataType, order: WordOrder = 'ABCD', extra: Partial<RegisterDef> = {}): RegisterDef {
  const fn = type === 'bool' ? 1 : 3;
  return {
    name: `r_${type}`,
    function: fn,
    address: 0,
    type,
    order,
    scale: 1,
    offset: 0,
    unit: 'count',
    writable: false,
    ...extra,
  };
}

/** Hand-computed register contents, per word order. A..D are bytes, most significant first. */
const VECTORS: Array<{ what: string; type: DataType; value: number; words: Record<WordOrder, number[]> }> = [
  // float32 25.5 = 1.10011b × 2^4: sign 0, exponent 127+4 = 0x83, mantissa 0x4C0000 → 0x41CC0000.
  {
    what: 'float32 25.5',
    type: 'float32',
    value: 25.5,
    words: { ABCD: [0x41cc, 0x0000], CDAB: [0x0000, 0x41cc], BADC: [0xcc41, 0x0000], DCBA: [0x0000, 0xcc41] },
  },
  // float32 -9999 = -1.0011100001111b × 2^13: sign 1, exponent 140 = 0x8C → 0xC61C3C00.
  {
    what: 'float32 -9999',
    type: 'float32',
    value: -9999,
    words: { ABCD: [0xc61c, 0x3c00], CDAB: [0x3c00, 0xc61c], BADC: [0x1cc6, 0x003c], DCBA: [0x003c, 0x1cc6] },
  },
  // float64 1.5 = 1.1b × 2^0: exponent 1023 = 0x3FF, mantissa top bit → 0x3FF8000000000000.
  // Word swap on four words reverses all of them (lowest word first).
  {
    what: 'float64 1.5',
    type: 'float64',
    value: 1.5,
    words: {
      ABCD: [0x3ff8, 0, 0, 0],
      CDAB: [0, 0, 0, 0x3ff8],
      BADC: [0xf83f, 0, 0, 0],
      DCBA: [0, 0, 0, 0xf83f],
    },
  },
  // float64 -273.15 = 0xC071126666666666.
  {
    what: 'float64 -273.15',
    type: 'float64',
    value: -273.15,
    words: {
      ABCD: [0xc071, 0x1266, 0x6666, 0x6666],
      CDAB: [0x6666, 0x6666, 0x1266, 0xc071],
      BADC: [0x71c0, 0x6612, 0x6666, 0x6666],
      DCBA: [0x6666, 0x6666, 0x6612, 0x71c0],
    },
  },
  // int32 -123456789: 123456789 = 0x075BCD15, two's complement = 0xF8A432EA + 1 = 0xF8A432EB.
  {
    what: 'int32 -123456789',
    type: 'int32',
    value: -123456789,
    words: { ABCD: [0xf8a4, 0x32eb], CDAB: [0x32eb, 0xf8a4], BADC: [0xa4f8, 0xeb32], DCBA: [0xeb32, 0xa4f8] },
  },
  // uint32 4,000,000,000 = 0xEE6B2800 (above 2^31: must not come out negative).
  {
    what: 'uint32 4000000000',
    type: 'uint32',
    value: 4_000_000_000,
    words: { ABCD: [0xee6b, 0x2800], CDAB: [0x2800, 0xee6b], BADC: [0x6bee, 0x0028], DCBA: [0x0028, 0x6bee] },
  },
  // int16 -1234 = 0x10000 - 1234 = 0xFB2E; one word, so only the byte swap matters.
  {
    what: 'int16 -1234',
    type: 'int16',
    value: -1234,
    words: { ABCD: [0xfb2e], CDAB: [0xfb2e], BADC: [0x2efb], DCBA: [0x2efb] },
  },
  // uint16 43981 = 0xABCD.
  {
    what: 'uint16 43981',
    type: 'uint16',
    value: 43981,
    words: { ABCD: [0xabcd], CDAB: [0xabcd], BADC: [0xcdab], DCBA: [0xcdab] },
  },
];

describe('decodeRegister against hand-computed vectors', () => {
  for (const v of VECTORS) {
    it.each(WORD_ORDERS)(`${v.what} in %s order`, (order) => {
      const r = reg(v.type, order);
      expect(decodeRegister(r, v.words[order])).toEqual({ value: v.value, raw: v.value, quality: 'good' });
      expect(encodeRegister(r, v.value)).toEqual(v.words[order]);
    });
  }

  it('decodes bools from coils as booleans or numbers', () => {
    expect(decodeRegister(reg('bool'), [true])).toEqual({ value: 1, raw: 1, quality: 'good' });
    expect(decodeRegister(reg('bool'), [false])).toEqual({ value: 0, raw: 0, quality: 'good' });
    expect(decodeRegister(reg('bool'), [1])).toMatchObject({ value: 1 });
    expect(encodeRaw(reg('bool'), 1)).toEqual([1]);
  });

  it('gives float32 readings as the decimal the instrument meant (25.3, not 25.299999237060547)', () => {
    // 25.3 is not exact in float32: 0x41CA6666 is 25.299999237060547, the nearest float32.
    expect(decodeRegister(reg('float32'), [0x41ca, 0x6666]).value).toBe(25.3);
  });

  it('applies scale then offset, without binary noise', () => {
    // 253 × 0.1 = 25.300000000000001 in binary; the codec rounds it to 25.3.
    expect(decodeRegister(reg('uint16', 'ABCD', { scale: 0.1 }), [253])).toEqual({
      value: 25.3,
      raw: 253,
      quality: 'good',
    });
    // 650 × 0.1 − 40 = 25 (a °C sensor with a −40 offset).
    expect(decodeRegister(reg('int16', 'ABCD', { scale: 0.1, offset: -40 }), [650]).value).toBe(25);
    // -1234 × 0.01 = -12.34
    expect(decodeRegister(reg('int16', 'BADC', { scale: 0.01 }), [0x2efb]).value).toBe(-12.34);
    expect(encodeRegister(reg('int16', 'ABCD', { scale: 0.1, offset: -40 }), 25)).toEqual([650]);
  });

  it('keeps unscaled float64 and uint32 values exact', () => {
    const r = reg('float64');
    expect(decodeRegister(r, encodeRaw(r, 1234567.890123456)).value).toBe(1234567.890123456);
    expect(decodeRegister(reg('uint32'), [0xffff, 0xffff]).value).toBe(4294967295);
  });

  it('flags NaN and Infinity as quality nan with a null value', () => {
    // 0x7FC00000 is the float32 quiet NaN, 0x7F800000 +Infinity, 0xFF800000 -Infinity.
    expect(decodeRegister(reg('float32'), [0x7fc0, 0x0000])).toEqual({
      value: null,
      raw: Number.NaN,
      quality: 'nan',
    });
    expect(decodeRegister(reg('float32'), [0x7f80, 0x0000])).toEqual({
      value: null,
      raw: Number.POSITIVE_INFINITY,
      quality: 'nan',
    });
    expect(decodeRegister(reg('float32', 'CDAB'), [0x0000, 0xff80])).toMatchObject({
      value: null,
      quality: 'nan',
    });
    expect(decodeRegister(reg('float64'), [0x7ff0, 0, 0, 0])).toMatchObject({ value: null, quality: 'nan' });
  });

  it('keeps an out-of-range value and flags it', () => {
    const r = reg('uint16', 'ABCD', { range: [0, 100] });
    expect(decodeRegister(r, [150])).toEqual({ value: 150, raw: 150, quality: 'out_of_range' });
    expect(decodeRegister(r, [100])).toMatchObject({ quality: 'good' });
    const scaled = reg('int16', 'ABCD', { scale: 0.1, range: [-10, 60] });
    expect(decodeRegister(scaled, encodeRaw(scaled, -101))).toEqual({
      value: -10.1,
      raw: -101,
      quality: 'out_of_range',
    });
  });

  it('flags the instrument fault values as sensor_fault with a null value', () => {
    const r = reg('float32', 'CDAB', { faultValues: [-9999, 3.4e38] });
    expect(decodeRegister(r, [0x3c00, 0xc61c])).toEqual({ value: null, raw: -9999, quality: 'sensor_fault' });
    // 3.4e38 as float32 is 0x7F7FC99E (3.3999999521443642e38): still recognised as the fault value.
    expect(decodeRegister(r, [0xc99e, 0x7f7f])).toMatchObject({ value: null, quality: 'sensor_fault' });
    const i = reg('uint16', 'ABCD', { faultValues: [0xffff] });
    expect(decodeRegister(i, [0xffff])).toMatchObject({ quality: 'sensor_fault' });
  });

  it('throws a clear error on the wrong number of words', () => {
    expect(() => decodeRegister(reg('float32'), [0x41cc])).toThrow(
      'r_float32: float32 needs 2 register(s), got 1',
    );
    expect(() => decodeRegister(reg('uint16'), [])).toThrow('r_uint16: uint16 needs 1 register(s), got 0');
    expect(() => decodeRegister(reg('float64'), [1, 2, 3])).toThrow(/needs 4 register\(s\), got 3/);
  });

  it('throws on words outside 0..65535 or not integers', () => {
    expect(() => decodeRegister(reg('uint16'), [65536])).toThrow(
      'r_uint16: register value 65536 is not a 16-bit word',
    );
    expect(() => decodeRegister(reg('int32'), [0, -1])).toThrow(/register value -1 is not a 16-bit word/);
    expect(() => decodeRegister(reg('uint16'), [1.5])).toThrow(/1.5 is not a 16-bit word/);
    expect(() => rawValue(reg('uint16'), [Number.NaN])).toThrow(/NaN is not a 16-bit word/);
  });
});

describe('encodeRegister is the inverse of decodeRegister', () => {
  const next = random(20260101);
  const word = () => Math.floor(next() * 0x10000);

  for (const type of DATA_TYPES) {
    for (const order of WORD_ORDERS) {
      it(`${type} ${order}: registers → value → the same registers, 500 times`, () => {
        const r = reg(type, order);
        let checked = 0;
        for (let n = 0; n < 500; n++) {
          const words = Array.from({ length: wordsOf(r) }, word);
          const input = type === 'bool' ? [words[0] ? 1 : 0] : words;
          const decoded = decodeRegister(r, input);
          if (decoded.value === null) continue; // NaN/Infinity patterns carry no value to encode back
          expect(encodeRegister(r, decoded.value)).toEqual(input);
          checked++;
        }
        expect(checked).toBeGreaterThan(450);
      });
    }
  }

  it.each([
    ['uint16', 0.1, 0],
    ['int16', 0.1, -40],
    ['int32', 0.01, 0],
    ['uint32', 0.001, 100],
  ] as const)(
    '%s with scale %s and offset %s round-trips every raw value it meets',
    (type, scale, offset) => {
      for (const order of WORD_ORDERS) {
        const r = reg(type, order, { scale, offset });
        for (let n = 0; n < 300; n++) {
          const words = Array.from({ length: wordsOf(r) }, word);
          const { value } = decodeRegister(r, words);
          expect(value).not.toBeNull();
          expect(encodeRegister(r, value as number)).toEqual(words);
        }
      }
    },
  );

  it('rounds and clamps integers it cannot represent', () => {
    expect(encodeRaw(reg('uint16'), 70000)).toEqual([0xffff]);
    expect(encodeRaw(reg('int16'), -40000)).toEqual([0x8000]);
    expect(encodeRaw(reg('uint16'), 12.6)).toEqual([13]);
  });
});

describe('StuckDetector', () => {
  it('flags a channel after stuckAfter identical raw readings in a row, and clears on change', () => {
    const d = new StuckDetector();
    const r = { stuckAfter: 3 };
    expect([d.observe('a', r, 5), d.observe('a', r, 5), d.observe('a', r, 5), d.observe('a', r, 5)]).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(d.observe('a', r, 6)).toBe(false);
    expect(d.observe('a', r, 6)).toBe(false);
    expect(d.observe('a', r, 6)).toBe(true);
  });

  it('keeps channels apart and ignores registers without stuckAfter', () => {
    const d = new StuckDetector();
    const r = { stuckAfter: 2 };
    expect(d.observe('a', r, 1)).toBe(false);
    expect(d.observe('b', r, 1)).toBe(false);
    expect(d.observe('a', r, 1)).toBe(true);
    expect(d.observe('b', r, 2)).toBe(false);
    for (let i = 0; i < 10; i++) expect(d.observe('c', {}, 1)).toBe(false);
  });
});
