import { QUALITIES, type TelemetryBatch, UNITS } from '@xaso/device-profiles/contract';

/**
 * A hand-written check for the hot path: true only when zod's TelemetryBatchSchema would accept `json`
 * AND return it unchanged (no unknown keys to strip). Anything else goes to zod, which gives the verdict
 * and the error text. tests/unit/collector/telemetry-check.test.ts proves the equivalence against zod.
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
