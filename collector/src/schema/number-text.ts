/** Room `writeNumber` may need: the longest text `String(v)` gives a double ("-1.2345678901234567e-308"). */
export const MAX_NUMBER_BYTES = 24;

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6] as const;
const MAX_DECIMALS = 6;

/** Digits of a non-negative integer below 2^31 ending just before `end`; returns where they start. */
function digitsBackwards(buf: Uint8Array, end: number, n: number): number {
  let p = end;
  let x = n | 0;
  do {
    const q = (x / 10) | 0;
    buf[--p] = 48 + x - q * 10;
    x = q;
  } while (x > 0);
  return p;
}

/** Digits of a non-negative integer below 10^15, by comparison (no division). */
function digitCount(n: number): number {
  if (n < 1e8) {
    if (n < 1e4) return n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : 4;
    return n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : 8;
  }
  if (n < 1e12) return n < 1e9 ? 9 : n < 1e10 ? 10 : n < 1e11 ? 11 : 12;
  return n < 1e13 ? 13 : n < 1e14 ? 14 : 15;
}

/** A non-negative integer below 10^15, written at `pos` with at least `minDigits` digits (zero-padded). */
function writeUnsigned(buf: Uint8Array, pos: number, n: number, minDigits: number): number {
  const digits = Math.max(digitCount(n), minDigits);
  const end = pos + digits;
  if (n < 2_147_483_648) {
    const start = digitsBackwards(buf, end, n);
    for (let p = pos; p < start; p++) buf[p] = 48;
    return end;
  }
  // Two int32 halves: the low eight digits zero-padded, then the rest.
  const high = Math.floor(n / 1e8);
  const low = n - high * 1e8;
  const lowStart = digitsBackwards(buf, end, low);
  for (let p = end - 8; p < lowStart; p++) buf[p] = 48;
  const start = digitsBackwards(buf, end - 8, high);
  for (let p = pos; p < start; p++) buf[p] = 48;
  return end;
}

/**
 * `v` as JavaScript prints it (`String(v)`), written at `pos`; returns the position after it. The caller
 * leaves MAX_NUMBER_BYTES of room. Integers and decimals with up to six places below 10^9 (every sensor
 * reading and timestamp in practice) are written without making a string: for those, the shortest decimal
 * that reads back as `v` is the one with the fewest places that does. Anything else goes through String.
 */
export function writeNumber(buf: Uint8Array, pos: number, v: number): number {
  let p = pos;
  if (Number.isInteger(v) && v > -1e15 && v < 1e15) {
    if (v < 0) buf[p++] = 45;
    return writeUnsigned(buf, p, v < 0 ? -v : v, 1);
  }
  const a = v < 0 ? -v : v;
  if (a >= 1e-6 && a < 1e9) {
    for (let d = 1; d <= MAX_DECIMALS; d++) {
      const scale = POW10[d] as number;
      const m = Math.round(a * scale);
      if (m / scale !== a) continue;
      if (v < 0) buf[p++] = 45;
      const whole = Math.floor(m / scale);
      p = writeUnsigned(buf, p, whole, 1);
      buf[p++] = 46;
      return writeUnsigned(buf, p, m - whole * scale, d);
    }
  }
  const s = String(v);
  for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
  return p;
}
