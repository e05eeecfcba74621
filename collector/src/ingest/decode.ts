import { type DecodedMessage, decodeMessage, parseTopic } from '@xaso/device-profiles/contract';
import { isPlainTelemetryBatch } from './telemetry-check.js';

/**
 * The contract's `decodeMessage` with a fast path for telemetry, the bulk of the traffic: a batch the
 * hand-written check accepts is exactly what zod would return; everything else (other kinds, unknown
 * keys, invalid payloads and their error text) goes through zod unchanged.
 */
export function decodeIngest(topic: string, payload: Buffer): DecodedMessage {
  const parsed = parseTopic(topic);
  if (parsed?.scope === 'device' && parsed.kind === 'telemetry') {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return decodeMessage(topic, payload);
    }
    if (isPlainTelemetryBatch(json) && json.deviceId === parsed.deviceId)
      return { ok: true, topic: parsed, kind: 'telemetry', message: json, raw: json };
  }
  return decodeMessage(topic, payload);
}
