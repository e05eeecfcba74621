import {
  type DecodedMessage,
  type TelemetryColumns,
  decodeMessage,
  parseTopic,
} from '@xaso/device-profiles/contract';
import { isPlainTelemetryBatch, isPlainTelemetryColumns } from './telemetry-check.js';

/** A columnar telemetry batch (v 2) kept as a table: points are built from it without reading objects. */
export interface DecodedColumns {
  ok: true;
  kind: 'telemetry-columns';
  columns: TelemetryColumns;
  /** The payload text: exactly `columns` as JSON, since the check accepts nothing zod would change. */
  text: string;
}

export type IngestDecoded = DecodedMessage | DecodedColumns;

/**
 * The contract's `decodeMessage` with a fast path for telemetry, the bulk of the traffic: a batch (either
 * form) the hand-written checks accept is exactly what zod would accept; everything else (other kinds,
 * unknown keys, invalid payloads and their error text) goes through zod unchanged.
 */
export function decodeIngest(topic: string, payload: Buffer): IngestDecoded {
  const parsed = parseTopic(topic);
  if (parsed?.scope === 'device' && parsed.kind === 'telemetry') {
    let json: unknown;
    const text = payload.toString('utf8');
    try {
      json = JSON.parse(text);
    } catch {
      return decodeMessage(topic, payload);
    }
    if (isPlainTelemetryBatch(json) && json.deviceId === parsed.deviceId)
      return { ok: true, topic: parsed, kind: 'telemetry', message: json, raw: json };
    if (isPlainTelemetryColumns(json) && json.deviceId === parsed.deviceId)
      return { ok: true, kind: 'telemetry-columns', columns: json, text };
  }
  return decodeMessage(topic, payload);
}
