import { type Reading, TelemetryBatchSchema, topics } from '@xaso/device-profiles/contract';
import type { QueuedMessage } from '@xaso/gateway-firmware-ts';
import mqtt, { type MqttClient } from 'mqtt';
import type { ClusterCredentials } from '../../../scripts/fleet/speaker-fleet.js';
import type { FleetDiskQueue } from '../emergency/fleet-disk-queue.js';

const CHANNELS: readonly { channel: string; unit: Reading['unit']; base: number }[] = [
  { channel: 'pm25', unit: 'µg/m³', base: 30 },
  { channel: 'pm10', unit: 'µg/m³', base: 55 },
  { channel: 'no2', unit: 'µg/m³', base: 40 },
  { channel: 'so2', unit: 'µg/m³', base: 20 },
  { channel: 'o3', unit: 'µg/m³', base: 60 },
  { channel: 'temperature', unit: '°C', base: 29 },
];

/** Points per telemetry batch of a light station. */
export const POINTS_PER_BATCH = CHANNELS.length;

/**
 * An air station's gateway without Modbus: its own MQTT session and credentials, one telemetry batch of six
 * readings every interval, each batch committed to a disk queue (the gateway's Outbox, shared by the
 * worker, see FleetDiskQueue) with its per-device sequence number before it is published, removed on PUBACK.
 */
export class LightStation {
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;
  private readonly pending = new Map<number, QueuedMessage>();

  private constructor(
    readonly id: string,
    private readonly client: MqttClient,
    private readonly queue: FleetDiskQueue,
  ) {}

  static async connect(
    c: ClusterCredentials,
    options: { url: string; queue: FleetDiskQueue; intervalS: number },
  ): Promise<LightStation> {
    const client = await mqtt.connectAsync(options.url, {
      clientId: c.id,
      username: c.username,
      password: c.password,
      reconnectPeriod: 1000,
      connectTimeout: 60_000,
      keepalive: 120,
    });
    const station = new LightStation(c.id, client, options.queue);
    client.on('connect', () => {
      for (const message of station.pending.values()) station.send(message);
    });
    // Spread over the interval, as real stations' clocks are.
    const periodMs = options.intervalS * 1000;
    const first = setTimeout(() => {
      station.report();
      station.timer = setInterval(() => station.report(), periodMs);
    }, Math.random() * periodMs);
    station.timer = first;
    return station;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    clearInterval(this.timer);
    await this.client.endAsync(true).catch(() => undefined);
  }

  private report(): void {
    const ts = Date.now();
    const hour = new Date(ts).getUTCHours();
    const readings: Reading[] = CHANNELS.map(({ channel, unit, base }) => ({
      source: 'aqm',
      channel,
      unit,
      ts,
      quality: 'good',
      value:
        Math.round(base * (1 + 0.2 * Math.sin((hour / 24) * 2 * Math.PI) + 0.1 * Math.random()) * 10) / 10,
    }));
    const seq = this.seq++;
    const build = () => TelemetryBatchSchema.parse({ v: 1, deviceId: this.id, seq, ts, readings });
    this.queue.enqueue({ kind: 'telemetry', topic: topics.telemetry(this.id), ts, build }, (message) => {
      this.pending.set(message.id, message);
      this.send(message);
    });
  }

  private send(message: QueuedMessage): void {
    if (!this.client.connected) return;
    this.client.publish(message.topic, message.payload, { qos: 1 }, (err) => {
      if (err || !this.queue.isOpen) return;
      this.queue.release(message.id);
      this.pending.delete(message.id);
    });
  }
}
