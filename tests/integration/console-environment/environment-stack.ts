import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Collector, CollectorConfigSchema, type Point, startCollector } from '@xaso/collector';
import type { AlarmLifecycle } from '@xaso/console';
import { topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { tempDir } from '../../harness/index.js';
import { type ConsoleStack, startConsoleStack } from '../console/fixture.js';

export const AIR = 'st-air-1';
export const WATER = 'st-water-1';
const COLLECTOR_PASSWORD = 'collector-secret-0123456789';
const FIVE_MIN = 300_000;

export interface EnvironmentStack {
  stack: ConsoleStack;
  collector: Collector;
  /** Publishes one water reading as the station's gateway would (QoS 1). */
  publishWater(seq: number, readings: Record<string, number>, ts?: number): Promise<void>;
  close(): Promise<void>;
}

/** PM2.5 drifting 20–60 µg/m³ over a day, PM10 above it, gases low: a plausible small town. */
export function airHistory(stationId: string, from: number, to: number, step = FIVE_MIN): Point[] {
  const points: Point[] = [];
  for (let t = Math.ceil(from / step) * step; t < to; t += step) {
    const pm25 = 40 + 20 * Math.sin((t / 86_400_000) * 2 * Math.PI);
    points.push({
      measurement: 'air',
      tags: { device: stationId, source: 'aqms', profile: 'air-station-aqms', commune: 'xa-tan-bien' },
      fields: { pm25, pm10: pm25 * 1.6, o3: 60, no2: 30, so2: 20, co: 900, temperature: 30, humidity: 75 },
      time: t,
    });
  }
  return points;
}

/**
 * Broker + console (the console test fixture) + a real collector on the same broker; the console reads
 * the collector's embedded store and state DB and acknowledges through its alarms, as npm start wires them.
 */
export async function startEnvironmentStack(): Promise<EnvironmentStack> {
  const dir = await tempDir('xs-env-test-');
  const storePath = join(dir, 'timeseries.db');
  const statePath = join(dir, 'collector.db');
  // The console starts first (the fixture owns the broker); the collector joins it right after.
  const running: { collector?: Collector } = {};
  const alarmLifecycle: AlarmLifecycle = {
    acknowledge(id, by) {
      const outcome = running.collector?.alarms?.acknowledge(id, by) ?? { ok: false, error: 'no collector' };
      return outcome.ok ? { ok: true } : outcome;
    },
  };
  const stack = await startConsoleStack({
    config: { timeSeries: { kind: 'embedded', path: storePath }, collectorStateDb: statePath },
    start: { alarmLifecycle },
  });
  const { registry } = stack;
  registry.createDevice({
    id: AIR,
    role: 'sensor-gateway',
    name: 'Trạm không khí Tân Biên',
    areaId: 'xa-tan-bien',
  });
  registry.createDevice({
    id: WATER,
    role: 'sensor-gateway',
    name: 'Trạm nước kênh Tân Lập',
    areaId: 'xa-tan-lap',
  });
  const waterPassword = registry.rotateSecret(WATER).password;
  const service = registry.ensureService('collector', COLLECTOR_PASSWORD);
  const started = await startCollector(
    CollectorConfigSchema.parse({
      mqtt: { url: stack.mqttUrl, username: service.username, password: COLLECTOR_PASSWORD },
      store: { kind: 'embedded', path: storePath },
      outbox: { path: statePath },
      metrics: { port: 0 },
      indices: { enabled: false },
      logLevel: 'silent',
    }),
  );
  running.collector = started;
  await started.ready();
  const gateway = await mqtt.connectAsync(stack.mqttUrl, {
    clientId: WATER,
    username: WATER,
    password: waterPassword,
  });
  return {
    stack,
    collector: started,
    async publishWater(seq, readings, ts = Date.now()) {
      const payload = {
        v: 1,
        deviceId: WATER,
        seq,
        ts,
        readings: Object.entries(readings).map(([channel, value]) => ({
          source: 'probe',
          channel,
          value,
          unit: channel === 'ph' ? 'pH' : 'mg/L',
          ts,
          quality: 'good',
        })),
      };
      await gateway.publishAsync(topics.telemetry(WATER), JSON.stringify(payload), { qos: 1 });
    },
    async close() {
      await gateway.endAsync();
      await started.stop();
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
