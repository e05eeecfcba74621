import { QUALITIES, type TelemetryBatch, type TelemetryColumns, UNITS } from '@xaso/device-profiles/contract';

/**
 * Hand-written checks for the hot path: true only when zod's TelemetryBatchSchema (TelemetryColumnsSchema)
 * would accept `json` AND return it unchanged (no unknown keys to strip). Anything else goes to zod, which gives the verdict
 * and the error text. tests/unit/collector/telemetry-check*.test.ts prove the equivalence against zod.
 */
const ID = /^[a-z0-9][a-z0-9._-]*$/;
const UNIT_SET: ReadonlySet<unknown> = new Set(UNITS);
const QUALITY_SET: ReadonlySet<unknown> = new Set(QUALITIES);

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEpochMs = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isName = (v: unknown): boolean => typeof v === 'string' && v.length >= 1 && v.length <= 64;
const keyCount = (o: Obj): number => Object.keys(o).length;

function isReading(r: unknown): boolean {
  if (!isObject(r)) return false;
  const value = r.value;
  return (
    isName(r.source) &&
    isName(r.channel) &&
    (value === null || (typeof value === 'number' && Number.isFinite(value))) &&
    UNIT_SET.has(r.unit) &&
    isEpochMs(r.ts) &&
    QUALITY_SET.has(r.quality) &&
    keyCount(r) === 6
  );
}

function isThinning(t: unknown): boolean {
  if (!isObject(t)) return false;
  return (
    isEpochMs(t.fromTs) &&
    isEpochMs(t.toTs) &&
    Number.isSafeInteger(t.keptEvery) &&
    (t.keptEvery as number) >= 2 &&
    keyCount(t) === 3
  );
}

export function isPlainTelemetryBatch(json: unknown): json is TelemetryBatch {
  if (!isObject(json)) return false;
  const { deviceId, readings } = json;
  if (json.v !== 1 || !isName(deviceId) || !ID.test(deviceId as string)) return false;
  if (!isEpochMs(json.seq) || !isEpochMs(json.ts)) return false;
  if (!Array.isArray(readings) || readings.length < 1 || readings.length > 5000) return false;
  let keys = 5;
  if ('thinned' in json) {
    if (!isThinning(json.thinned)) return false;
    keys++;
  }
  if (keyCount(json) !== keys) return false;
  for (const r of readings) if (!isReading(r)) return false;
  return true;
}

const isValue = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

function isColumn(c: unknown, length: number): boolean {
  if (!isObject(c) || keyCount(c) !== 5) return false;
  const { values, quality } = c;
  if (!isName(c.source) || !isName(c.channel) || !UNIT_SET.has(c.unit)) return false;
  if (!Array.isArray(values) || values.length !== length) return false;
  for (const v of values) if (!isValue(v)) return false;
  if (QUALITY_SET.has(quality)) return true;
  if (!Array.isArray(quality) || quality.length !== length) return false;
  for (const q of quality) if (!QUALITY_SET.has(q)) return false;
  return true;
}

export function isPlainTelemetryColumns(json: unknown): json is TelemetryColumns {
  if (!isObject(json)) return false;
  const { deviceId, times, columns } = json;
  if (json.v !== 2 || !isName(deviceId) || !ID.test(deviceId as string)) return false;
  if (!isEpochMs(json.seq) || !isEpochMs(json.ts)) return false;
  if (!Array.isArray(times) || times.length < 1 || times.length > 5000) return false;
  if (!Array.isArray(columns) || columns.length < 1 || times.length * columns.length > 5000) return false;
  let keys = 6;
  if ('thinned' in json) {
    if (!isThinning(json.thinned)) return false;
    keys++;
  }
  if (keyCount(json) !== keys) return false;
  for (const t of times) if (!isEpochMs(t)) return false;
  for (const c of columns) if (!isColumn(c, times.length)) return false;
  return true;
}
