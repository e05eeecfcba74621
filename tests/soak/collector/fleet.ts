import { join } from 'node:path';
import { type TelemetryBatch, topics } from '@xaso/device-profiles/contract';
import { pino } from 'pino';
import { Forwarder } from '../../../gateway-firmware-ts/src/queue/forwarder.js';
import { Outbox } from '../../../gateway-firmware-ts/src/queue/outbox.js';
import { MqttLink } from '../../../gateway-firmware-ts/src/uplink/mqtt-link.js';

export interface FleetDevice {
  id: string;
  password: string;
  kind: 'cluster' | 'station';
}

/** What a device's reading looks like in InfluxDB: its timestamp says which sequence number carried it. */
export const readingTime = (t0: number, seq: number): number => t0 + seq * 1000;

const log = pino({ level: 'silent' });

function batch(device: FleetDevice, seq: number, t0: number): TelemetryBatch {
  const ts = readingTime(t0, seq);
  const readings: TelemetryBatch['readings'] =
    device.kind === 'cluster'
      ? [
          {
            source: 'controller',
            channel: 'mains_voltage',
            value: 220 + (seq % 7),
            unit: 'V',
            ts,
            quality: 'good',
          },
          {
            source: 'controller',
            channel: 'cabinet_temperature',
            value: 30 + (seq % 5),
            unit: '°C',
            ts,
            quality: 'good',
          },
        ]
      : [
          { source: 'aqms', channel: 'pm25', value: 20 + (seq % 13), unit: 'µg/m³', ts, quality: 'good' },
          { source: 'aqms', channel: 'pm10', value: 40 + (seq % 17), unit: 'µg/m³', ts, quality: 'good' },
        ];
  return { v: 1, deviceId: device.id, seq, ts, readings };
}

/**
 * Gateways as the firmware runs them: every message is committed to the device's own disk queue
 * (the gateway's Outbox) and leaves it only on the broker's PUBACK (the gateway's Forwarder over
 * its MqttLink), so a broker killed mid-flight costs a resend, never a reading.
 */
export class Fleet {
  private readonly members: Array<{
    device: FleetDevice;
    outbox: Outbox;
    link: MqttLink;
    forwarder: Forwarder;
  }>;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    devices: readonly FleetDevice[],
    brokerUrl: string,
    dir: string,
    readonly t0: number,
  ) {
    this.members = devices.map((device) => {
      const outbox = new Outbox({
        file: join(dir, `${device.id}.sqlite`),
        diskBudgetBytes: 256 * 1024 * 1024,
      });
      const link = new MqttLink(
        {
          url: brokerUrl,
          clientId: device.id,
          username: device.id,
          password: device.password,
          keepaliveS: 30,
          reconnectPeriodMs: 500 + Math.floor(Math.random() * 1000),
          will: {
            topic: topics.status(device.id),
            payload: JSON.stringify({
              v: 1,
              deviceId: device.id,
              state: 'offline',
              ts: Date.now(),
              reason: 'last-will',
            }),
          },
        },
        log,
      );
      const forwarder = new Forwarder(
        outbox,
        link,
        { drainRatePerSecond: 200, maxInFlight: 10, tickMs: 200 },
        log,
      );
      return { device, outbox, link, forwarder };
    });
  }

  /** Connects every device and starts its reporting timer (clusters and stations at their own periods). */
  start(periodMs: { cluster: number; station: number }): void {
    for (const m of this.members) {
      m.link.start();
      m.forwarder.start();
      const period = periodMs[m.device.kind];
      const produce = (): void => {
        m.outbox.enqueue('telemetry', topics.telemetry(m.device.id), Date.now(), (seq) =>
          batch(m.device, seq ?? 0, this.t0),
        );
      };
      // Spread the devices over the period, as real clusters are not synchronised.
      const first = setTimeout(() => {
        produce();
        this.timers.push(setInterval(produce, period));
      }, Math.random() * period);
      this.timers.push(first);
    }
  }

  stopProducing(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
  }

  /** Messages still waiting for a PUBACK, over all devices. */
  get queued(): number {
    return this.members.reduce((n, m) => n + m.outbox.depth, 0);
  }

  /** Readings produced per device: its telemetry sequence numbers 0..n-1. */
  produced(): Map<string, number> {
    return new Map(this.members.map((m) => [m.device.id, m.outbox.lastSeq('telemetry') + 1]));
  }

  async close(): Promise<void> {
    this.stopProducing();
    for (const m of this.members) m.forwarder.stop();
    await Promise.all(this.members.map((m) => m.link.stop()));
    for (const m of this.members) m.outbox.close();
  }
}
