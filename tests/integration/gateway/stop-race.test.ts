import { setTimeout as sleep } from 'node:timers/promises';
import type { Gateway } from '@xaso/gateway-firmware-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto, tempDir } from '../../harness/index.js';
import { Capture } from './capture.js';
import { gatewayConfig, startGateway } from './gateway-fixture.js';
import { MOSQUITTO_SAVE_EVERY_CHANGE } from './test-broker.js';

const LANES = 6;

interface Lane {
  id: string;
  dataDir: string;
  capture: Capture;
  starts: number;
}

/** Starts and stops one gateway over and over (same queue file) until `until` passes. */
async function churn(lane: Lane, url: string, until: number): Promise<void> {
  while (Date.now() < until) {
    const config = await gatewayConfig({
      deviceId: lane.id,
      mqttUrl: url,
      devices: [],
      dataDir: lane.dataDir,
      // Reconnect attempts every 100 ms (the least allowed) make "link comes up while stopping" happen many times a run.
      extra: { mqtt: { url, reconnectPeriodMs: 100 } },
    });
    const gateway: Gateway = await startGateway(config);
    lane.starts += 1;
    await sleep(Math.random() * 40);
    await gateway.stop();
  }
}

describe('Gateway.stop() while the uplink comes up', () => {
  let mosquitto: ServerHandle;
  const lanes: Lane[] = [];

  beforeAll(async () => {
    mosquitto = await startMosquitto({ persistence: true, extraConfig: MOSQUITTO_SAVE_EVERY_CHANGE });
    for (let i = 0; i < LANES; i++) {
      const id = `gw-race-${i}`;
      const capture = await Capture.start(mosquitto.url, id, { clientId: `race-checker-${i}`, clean: false });
      lanes.push({ id, dataDir: await tempDir('xs-gw-race-'), capture, starts: 0 });
    }
    // Mosquitto saves the checkers' sessions on change; give the last save a moment before the SIGKILL.
    await sleep(500);
    await mosquitto.kill();
  });

  afterAll(async () => {
    await Promise.all(lanes.map((l) => l.capture.stop()));
    await mosquitto?.stop();
  });

  it('never touches the closed queue, and loses none of the events queued across the restarts', async () => {
    const until = Date.now() + 3000;
    const churning = Promise.all(lanes.map((lane) => churn(lane, mosquitto.url, until)));
    await sleep(800);
    await mosquitto.restart();
    await churning;
    // One last run per gateway drains what the interrupted runs left in the queue.
    const last = await Promise.all(
      lanes.map(async (lane) =>
        startGateway(
          await gatewayConfig({
            deviceId: lane.id,
            mqttUrl: mosquitto.url,
            devices: [],
            dataDir: lane.dataDir,
          }),
        ),
      ),
    );
    for (const lane of lanes) {
      // Every run queued a boot and a shutdown event; the last run's boot makes starts + 1 boots.
      await lane.capture.until(
        `${lane.id}: all lifecycle events`,
        () => lane.capture.seqs('event').distinct.size >= lane.starts * 2 + 1,
        20_000,
      );
      const { distinct } = lane.capture.seqs('event');
      expect(lane.starts, lane.id).toBeGreaterThan(5);
      expect(Math.max(...distinct), lane.id).toBe(distinct.size - 1);
      const boots = lane.capture.events.filter(
        (e) => e.event.kind === 'lifecycle' && e.event.what === 'boot',
      );
      expect(new Set(boots.map((e) => e.seq)).size, lane.id).toBe(lane.starts + 1);
    }
    await Promise.all(last.map((g) => g.stop()));
  }, 40_000);
});
