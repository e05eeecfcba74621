import { join } from 'node:path';
import { getProfile } from '@xaso/device-profiles';
import type { Gateway } from '@xaso/gateway-firmware-ts';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, logTail, startMosquitto } from '../../harness/index.js';
import { Capture } from './capture.js';
import { gatewayConfig, startGateway } from './gateway-fixture.js';
import { MOSQUITTO_SAVE_EVERY_CHANGE } from './test-broker.js';

const BUDGET = 8192;

describe('disk budget: a long outage thins the oldest telemetry, reports it, and never drops events', () => {
  let mosquitto: ServerHandle;
  let tcp: ModbusTcpServer;
  let gateway: Gateway;
  let capture: Capture;

  beforeAll(async () => {
    // Information level: the broker log in a failure message then shows who connected when.
    mosquitto = await startMosquitto({
      persistence: true,
      extraConfig: MOSQUITTO_SAVE_EVERY_CHANGE,
      logReloads: true,
    });
    const pm = getProfile('pm-sensor-rs485');
    const sims = [1, 2, 3, 4].map((unitId) => new SimulatedDevice({ profile: pm, unitId, seed: unitId }));
    tcp = new ModbusTcpServer({ devices: sims });
    await tcp.start();
    capture = await Capture.start(mosquitto.url, 'gw-thin', { clientId: 'thin-checker', clean: false });
    const config = await gatewayConfig({
      deviceId: 'gw-thin',
      mqttUrl: mosquitto.url,
      devices: sims.map((s) => ({
        name: `pm-${s.unitId}`,
        profile: pm.name,
        link: { type: 'tcp' as const, host: '127.0.0.1', port: tcp.port },
        unitId: s.unitId,
        pollIntervalMs: 100,
      })),
      extra: { queue: { diskBudgetBytes: BUDGET, drainRatePerSecond: 500 } },
    });
    await mosquitto.kill();
    gateway = await startGateway(config);
  });

  afterAll(async () => {
    await gateway?.stop();
    await capture?.stop();
    await tcp?.stop();
    await mosquitto?.stop();
  });

  it('stays within the budget while offline', async () => {
    await new Promise((r) => setTimeout(r, 3000));
    expect(gateway.outbox.bytes).toBeLessThanOrEqual(BUDGET + 2048);
    expect(gateway.outbox.depth).toBeGreaterThan(5);
  });

  it('delivers thinned batches that say so, a queue-thinned event, and every event', async () => {
    await mosquitto.restart();
    await capture
      .until(
        'queue-thinned event and thinned batches',
        () =>
          capture.events.some((e) => e.event.kind === 'queue-thinned') &&
          capture.batches.some((b) => b.thinned),
      )
      .catch((err: Error) => {
        const state = `gateway link ${gateway.link.connected ? 'up' : 'down'}, outbox depth ${gateway.outbox.depth}`;
        const log = join(mosquitto.dir, 'mosquitto.log');
        throw new Error(`${err.message}; ${state}; broker log ${log}:\n${logTail(log)}`);
      });
    await capture.until('queue drained', () => gateway.outbox.depth === 0);
    const thinned = capture.events.map((e) => e.event).filter((e) => e.kind === 'queue-thinned');
    expect(thinned[0]).toMatchObject({ kind: 'queue-thinned', keptEvery: expect.any(Number) });
    const batch = capture.batches.find((b) => b.thinned);
    expect(batch?.thinned?.keptEvery).toBeGreaterThanOrEqual(2);
    expect(batch?.thinned?.toTs).toBeGreaterThanOrEqual(batch?.thinned?.fromTs ?? Number.POSITIVE_INFINITY);
    // Events are never thinned: their seqs have no gap.
    const eventSeqs = [...new Set(capture.events.map((e) => e.seq))].sort((a, b) => a - b);
    expect(eventSeqs).toEqual(Array.from({ length: eventSeqs.length }, (_, i) => i));
    // Every telemetry seq missing at the subscriber lies inside a span a thinned batch stands for.
    const seqs = new Set(capture.batches.map((b) => b.seq));
    const last = Math.max(...seqs);
    const spans = capture.batches.filter((b) => b.thinned);
    const firstThinnedSeq = Math.min(...spans.map((b) => b.seq));
    const lastThinnedSeq = Math.max(...spans.map((b) => b.seq));
    for (let seq = 0; seq <= last; seq++) {
      if (!seqs.has(seq))
        expect(seq > firstThinnedSeq && seq <= lastThinnedSeq + 64, `seq ${seq} lost outside thinning`).toBe(
          true,
        );
    }
  });
});
