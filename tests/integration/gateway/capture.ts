import {
  type Ack,
  AckSchema,
  type DeviceEvent,
  DeviceEventSchema,
  type Status,
  StatusSchema,
  type TelemetryBatch,
  TelemetryMessageSchema,
  parseTopic,
  topics,
} from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';

/** A real MQTT subscriber that records what a gateway published, validated against the contract. */
export class Capture {
  readonly batches: TelemetryBatch[] = [];
  readonly events: DeviceEvent[] = [];
  readonly acks: Ack[] = [];
  readonly statuses: Status[] = [];
  private constructor(readonly client: MqttClient) {}

  /** `clientId` with `clean: false` keeps the subscription (and queued messages) across a broker restart. */
  static async start(
    url: string,
    deviceId: string,
    options: { username?: string; password?: string; clientId?: string; clean?: boolean } = {},
  ): Promise<Capture> {
    const client = await mqtt.connectAsync(url, { clean: true, reconnectPeriod: 200, ...options });
    const capture = new Capture(client);
    client.on('message', (topic, payload) => capture.record(topic, payload));
    await client.subscribeAsync(
      [topics.telemetry(deviceId), topics.event(deviceId), topics.ack(deviceId), topics.status(deviceId)],
      { qos: 1 },
    );
    return capture;
  }

  /** Messages that did not match the contract (a throw inside mqtt.js's handler would stall the client). */
  readonly invalid: string[] = [];

  private record(topic: string, payload: Buffer): void {
    try {
      this.parse(topic, payload);
    } catch (err) {
      this.invalid.push(`${topic}: ${(err as Error).message.slice(0, 300)}`);
    }
  }

  private parse(topic: string, payload: Buffer): void {
    if (payload.length === 0) return;
    const parsed = parseTopic(topic);
    if (parsed?.scope !== 'device') return;
    const json: unknown = JSON.parse(payload.toString('utf8'));
    if (parsed.kind === 'telemetry') this.batches.push(TelemetryMessageSchema.parse(json));
    else if (parsed.kind === 'event') this.events.push(DeviceEventSchema.parse(json));
    else if (parsed.kind === 'ack') this.acks.push(AckSchema.parse(json));
    else if (parsed.kind === 'status') this.statuses.push(StatusSchema.parse(json));
  }

  /** Polls until the predicate holds, or fails with what was seen. */
  async until(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}; subscriber ${this.client.connected ? 'connected' : 'not connected'}; saw ${this.batches.length} batches, ${this.invalid.length} invalid ${this.invalid.slice(0, 2).join(' | ')}, events ${JSON.stringify(this.events.map((e) => e.event)).slice(0, 1500)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Telemetry seqs as received (with any duplicates), and the distinct ones. */
  seqs(kind: 'telemetry' | 'event'): { all: number[]; distinct: Set<number> } {
    const all = (kind === 'telemetry' ? this.batches : this.events).map((m) => m.seq);
    return { all, distinct: new Set(all) };
  }

  readingsOf(source: string): TelemetryBatch['readings'] {
    return this.batches.flatMap((b) => b.readings.filter((r) => r.source === source));
  }

  async stop(): Promise<void> {
    await this.client.endAsync(true);
  }
}
