import { join } from 'node:path';
import type { Reading } from '@xaso/device-profiles/contract';
import { Gateway, parseLocalConfig } from '@xaso/gateway-firmware-ts';
import { pino } from 'pino';
import { SimulatedUplink } from '../../../scripts/fleet/speaker-uplink.js';
import type { Station } from '../../../scripts/province/province.js';
import type { Credentials } from './provision.js';

export interface SimulatedStation {
  id: string;
  gateway: Gateway;
  uplink: SimulatedUplink;
  /** Timestamps of every reading handed to the gateway, in order. */
  produced: number[];
  diskBudgetBytes: number;
}

const log = pino({ level: 'silent' });

/**
 * Station gateways: the firmware's real core (`Gateway`: disk queue with its budget, forwarder, MQTT link,
 * status, signed remote config) behind a simulated 3G/4G uplink. Readings enter through `gateway.sink`,
 * the call the Modbus sensor role makes after each poll; the instrument itself is left out to keep 30
 * stations cheap on 2 cores (its polling has its own tests).
 */
export class StationFleet {
  private timer: NodeJS.Timeout | undefined;
  private tick = 0;

  private constructor(readonly stations: SimulatedStation[]) {}

  static async start(
    list: readonly (Station & Credentials)[],
    o: {
      broker: { host: string; port: number };
      signingPublicKeyPem: string;
      dataDir: string;
      /** Stations given a tiny disk budget (their queue will be thinned while their uplink is down). */
      smallBudget: ReadonlySet<string>;
      random: () => number;
    },
  ): Promise<StationFleet> {
    const stations: SimulatedStation[] = [];
    for (const s of list) {
      const uplink = await SimulatedUplink.open(
        o.broker,
        { latencyMs: Math.round(60 + o.random() * 300), jitterMs: 60 },
        o.random,
      );
      const diskBudgetBytes = o.smallBudget.has(s.id) ? 4096 : 64 * 1024 * 1024;
      const config = parseLocalConfig(
        {
          deviceId: s.id,
          mqtt: { url: uplink.url, username: s.id, password: s.password, reconnectPeriodMs: 1000 },
          signingPublicKeyPem: o.signingPublicKeyPem,
          dataDir: join(o.dataDir, s.id),
          queue: { diskBudgetBytes, drainRatePerSecond: 200, maxInFlight: 10 },
          statusIntervalS: 30,
        },
        `soak station ${s.id}`,
      );
      const gateway = new Gateway(config, [], log.child({ station: s.id }));
      stations.push({ id: s.id, gateway, uplink, produced: [], diskBudgetBytes });
    }
    await Promise.all(stations.map((s) => s.gateway.start()));
    return new StationFleet(stations);
  }

  get(id: string): SimulatedStation | undefined {
    return this.stations.find((s) => s.id === id);
  }

  /** Every station reports pm25 and pm10 each `periodMs` (one telemetry message per poll). */
  produce(periodMs: number): void {
    this.timer = setInterval(() => {
      this.tick++;
      const ts = Date.now();
      for (const s of this.stations) {
        const readings: Reading[] = [
          {
            source: 'aqms',
            channel: 'pm25',
            value: 20 + (this.tick % 13),
            unit: 'µg/m³',
            ts,
            quality: 'good',
          },
          {
            source: 'aqms',
            channel: 'pm10',
            value: 40 + (this.tick % 17),
            unit: 'µg/m³',
            ts,
            quality: 'good',
          },
        ];
        s.gateway.sink.readings(readings, ts);
        s.produced.push(ts);
      }
    }, periodMs);
  }

  stopProducing(): void {
    clearInterval(this.timer);
  }

  /** Messages still waiting for a PUBACK, over all stations. */
  get queued(): number {
    return this.stations.reduce((n, s) => n + s.gateway.outbox.depth, 0);
  }

  connected(): number {
    return this.stations.filter((s) => s.gateway.link.connected).length;
  }

  async stop(): Promise<void> {
    this.stopProducing();
    for (const s of this.stations) s.uplink.cut();
    await Promise.all(this.stations.map((s) => s.gateway.stop().catch(() => undefined)));
    await Promise.all(this.stations.map((s) => s.uplink.close()));
  }
}
