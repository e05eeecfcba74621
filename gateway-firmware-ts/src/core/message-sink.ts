import {
  type Ack,
  AckSchema,
  type DeviceEventBody,
  DeviceEventSchema,
  type Reading,
  TelemetryBatchSchema,
  toTelemetryColumns,
  topics,
} from '@xaso/device-profiles/contract';
import type { Outbox } from '../queue/outbox.js';

/** Builds contract messages and commits them to the outbox; validation here catches our own bugs loudly. */
export class MessageSink {
  constructor(
    private readonly deviceId: string,
    private readonly outbox: Outbox,
    private readonly batchMaxReadings: number,
    private readonly onQueued: () => void = () => {},
  ) {}

  event(event: DeviceEventBody, ts = Date.now()): void {
    this.outbox.enqueue('event', topics.event(this.deviceId), ts, (seq) =>
      DeviceEventSchema.parse({ v: 1, deviceId: this.deviceId, seq, ts, event }),
    );
    this.onQueued();
  }

  readings(readings: Reading[], ts = Date.now()): void {
    for (let i = 0; i < readings.length; i += this.batchMaxReadings) {
      const chunk = readings.slice(i, i + this.batchMaxReadings);
      // The columnar form (v 2) when the readings are a table: ~20× smaller on the wire and in the queue.
      this.outbox.enqueue('telemetry', topics.telemetry(this.deviceId), ts, (seq) => {
        const batch = TelemetryBatchSchema.parse({ v: 1, deviceId: this.deviceId, seq, ts, readings: chunk });
        return toTelemetryColumns(batch) ?? batch;
      });
    }
    this.onQueued();
  }

  ack(ref: Ack['ref'], status: Ack['status'], reason?: string): void {
    const ts = Date.now();
    this.outbox.enqueue('ack', topics.ack(this.deviceId), ts, () =>
      AckSchema.parse({ v: 1, deviceId: this.deviceId, ref, status, reason: reason?.slice(0, 500), ts }),
    );
  }
}
