import type { TelemetryColumn } from '@xaso/device-profiles/contract';
import { MAX_NUMBER_BYTES, writeNumber } from './number-text.js';

/** Whether every reading of the table is good: each column's quality is `good` and each value a finite number. */
export function isAllGood(columns: readonly TelemetryColumn[], length: number): boolean {
  for (const c of columns) {
    if (c.quality !== 'good' || c.values.length < length) return false;
    const values = c.values;
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    }
  }
  return true;
}

/**
 * The lines of a table whose readings are all good (`isAllGood`): at each instant one line per source, in
 * the order of each source's first column, its fields in column order, as `columnLines` writes them. The
 * buffer is sized for the longest numbers up front, so the loop only copies and writes digits.
 */
export function allGoodLineBytes(
  times: readonly number[],
  columns: readonly TelemetryColumn[],
  series: readonly Uint8Array[],
  fieldKeys: readonly Uint8Array[],
  columnsOf: readonly (readonly number[])[],
): Buffer {
  let perInstant = 0;
  // Per line: newline, series key (with its space), space, time; per field: comma, key, number.
  for (const key of series) perInstant += key.length + 2 + MAX_NUMBER_BYTES;
  for (const key of fieldKeys) perInstant += key.length + 1 + MAX_NUMBER_BYTES;
  const buf = Buffer.allocUnsafe(perInstant * times.length);
  const values = columns.map((c) => c.values as readonly number[]);
  let p = 0;
  for (let i = 0; i < times.length; i++) {
    const ts = times[i] as number;
    for (let s = 0; s < series.length; s++) {
      if (p > 0) buf[p++] = 10;
      const key = series[s] as Uint8Array;
      buf.set(key, p);
      p += key.length;
      const own = columnsOf[s] as readonly number[];
      for (let f = 0; f < own.length; f++) {
        const k = own[f] as number;
        if (f > 0) buf[p++] = 44;
        const field = fieldKeys[k] as Uint8Array;
        for (let b = 0; b < field.length; b++) buf[p++] = field[b] as number;
        p = writeNumber(buf, p, (values[k] as readonly number[])[i] as number);
      }
      buf[p++] = 32;
      p = writeNumber(buf, p, ts);
    }
  }
  return buf.subarray(0, p);
}
