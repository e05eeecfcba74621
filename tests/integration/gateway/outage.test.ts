import { join } from 'node:path';
import { getProfile } from '@xaso/device-profiles';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto, tempDir } from '../../harness/index.js';
import { Capture } from './capture.js';
import { GatewayProcess } from './gateway-process.js';
import { inspectQueue } from './queue-file.js';
import { MOSQUITTO_SAVE_EVERY_CHANGE } from './test-broker.js';

const ID = 'gw-outage';
const MAX_IN_FLIGHT = 10;
/** Mosquitto's own window towards the checker: what it may redeliver after a SIGKILL loses its ack state. */
const SUBSCRIBER_IN_FLIGHT = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seqs 0..last that never arrived. */
function missing(distinct: Set<number>, last: number): number[] {
  return Array.from({ length: last + 1 }, (_, i) => i).filter((i) => !distinct.has(i));
}

describe('store-and-forward through a broker outage and SIGKILLs of the gateway', () => {
  let mosquitto: ServerHandle;
  let tcp: ModbusTcpServer;
  let capture: Capture;
  let gateway: GatewayProcess;
  let dataDir: string;
  let baseConfig: Record<string, unknown>;
  const report: Record<string, number> = {};

  const configWith = (drainRatePerSecond: number) => ({
    ...baseConfig,
    queue: { drainRatePerSecond, maxInFlight: MAX_IN_FLIGHT },
  });
  const queueDepth = () => inspectQueue(dataDir).depth;
  /** Telemetry and event messages received more than once so far. */
  const duplicates = () =>
    (['telemetry', 'event'] as const).reduce((n, kind) => {
      const s = capture.seqs(kind);
      return n + s.all.length - s.distinct.size;
    }, 0);
  /** Waits until the queue is (nearly) empty and every seq handed out so far, minus the live edge, arrived. */
  async function drained(what: string): Promise<void> {
    let last = '';
    try {
      await capture.until(
        what,
        () => {
          const q = inspectQueue(dataDir);
          const gaps = missing(capture.seqs('telemetry').distinct, q.lastSeq.telemetry ?? -1);
          last = `depth ${q.depth}, last seq ${q.lastSeq.telemetry}, missing ${gaps.slice(0, 20).join(',')}`;
          return q.depth <= 3 && gaps.every((seq) => seq > (q.lastSeq.telemetry ?? 0) - 3);
        },
        30_000,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message.slice(0, 300)}; ${last}; log:\n${gateway.tail()}`);
    }
  }

  beforeAll(async () => {
    mosquitto = await startMosquitto({
      persistence: true,
      extraConfig: `${MOSQUITTO_SAVE_EVERY_CHANGE}\nmax_inflight_messages ${SUBSCRIBER_IN_FLIGHT}`,
    });
    const pm = getProfile('pm-sensor-rs485');
    tcp = new ModbusTcpServer({
      devices: [1, 2, 3].map((unitId) => new SimulatedDevice({ profile: pm, unitId, seed: unitId })),
    });
    await tcp.start();
    // A persistent session: the checker misses nothing while the broker restarts.
    capture = await Capture.start(mosquitto.url, ID, { clientId: 'outage-checker', clean: false });
    const dir = await tempDir('xs-gw-outage-');
    dataDir = join(dir, 'data');
    baseConfig = {
      deviceId: ID,
      mqtt: { url: mosquitto.url, reconnectPeriodMs: 200 },
      dataDir,
      devices: [1, 2, 3].map((unitId) => ({
        name: `pm-${unitId}`,
        profile: pm.name,
        link: { type: 'tcp', host: '127.0.0.1', port: tcp.port },
        unitId,
        pollIntervalMs: 200,
      })),
      polling: { timeoutMs: 300, backoffBaseMs: 100, backoffMaxMs: 800 },
      statusIntervalS: 1,
    };
    gateway = new GatewayProcess(join(dir, 'gateway.json'), join(dir, 'gateway.log'));
    gateway.writeConfig(configWith(500));
    gateway.start();
    await capture.until('first telemetry', () => capture.batches.length > 3, 30_000);
  });

  afterAll(async () => {
    await gateway?.kill('SIGTERM');
    await capture?.stop();
    await tcp?.stop();
    await mosquitto?.stop();
    process.stdout.write(`[gateway outage] ${JSON.stringify(report)}\n`);
  });

  it('keeps polling while the broker is down and delivers the backlog with no seq lost or repeated', async () => {
    await mosquitto.kill();
    await sleep(2500);
    expect(queueDepth()).toBeGreaterThan(20);
    await mosquitto.restart();
    await drained('backlog after the broker outage');
    const t = capture.seqs('telemetry');
    report.afterOutageBatches = t.all.length;
    report.afterOutageDuplicates = duplicates();
    // What is asserted: every seq arrives (checked by drained()), and repeats come only from the two in-flight
    // windows at the instant the broker died: the gateway's (PUBACK lost, message resent) and Mosquitto's
    // towards the checker (ack state not yet saved, message redelivered). Bounded here and reported;
    // deduplicated by seq, as the collector does, each reading arrives exactly once.
    expect(report.afterOutageDuplicates, 'duplicates after a plain outage').toBeLessThanOrEqual(
      MAX_IN_FLIGHT + SUBSCRIBER_IN_FLIGHT,
    );
    await capture.until('uplink-lost and uplink-restored events', () =>
      ['uplink-lost', 'uplink-restored'].every((what) =>
        capture.events.some((e) => e.event.kind === 'lifecycle' && e.event.what === what),
      ),
    );
  });

  it('loses nothing when the gateway is SIGKILLed with a queue and again while draining it', async () => {
    const duplicatesBefore = duplicates();
    await mosquitto.kill();
    await sleep(2000);
    expect(queueDepth()).toBeGreaterThan(15);
    expect(await gateway.kill('SIGKILL')).toBe('signal SIGKILL');
    await mosquitto.restart();
    // Slow drain, so the next SIGKILL lands in the middle of it.
    gateway.writeConfig(configWith(15));
    const restartedAt = Date.now();
    gateway.start();
    await capture.until(
      'draining started',
      () => capture.batches.length > (report.afterOutageBatches ?? 0) + 5,
      20_000,
    );
    const depthAtKill = queueDepth();
    // Live readings are not stuck behind the paced backlog: they arrive while it is still draining.
    await capture.until(
      'live data during the drain',
      () => capture.batches.some((b) => b.ts >= restartedAt + 500),
      10_000,
    );
    expect(queueDepth()).toBeGreaterThan(0);
    expect(await gateway.kill('SIGKILL')).toBe('signal SIGKILL');
    report.depthAtSecondKill = depthAtKill;
    // The broker announces the dead gateway with its last will: a retained offline status.
    await capture.until('last will', () =>
      capture.statuses.some((x) => x.state === 'offline' && x.reason === 'last-will'),
    );
    expect(depthAtKill).toBeGreaterThan(0);
    gateway.writeConfig(configWith(500));
    gateway.start();
    await drained('backlog after two SIGKILLs');
    expect(await gateway.kill('SIGTERM')).toBe('code 0');
    await capture.until('goodbye status', () => capture.statuses.at(-1)?.reason === 'shutdown');
    expect(capture.statuses.at(-1)).toMatchObject({ state: 'offline', queueDepth: 0 });
    const q = inspectQueue(dataDir);
    expect(q.depth).toBe(0);
    const t = capture.seqs('telemetry');
    const e = capture.seqs('event');
    expect(missing(t.distinct, q.lastSeq.telemetry ?? -1), 'telemetry seqs never delivered').toEqual([]);
    expect(missing(e.distinct, q.lastSeq.event ?? -1), 'event seqs never delivered').toEqual([]);
    report.telemetrySeqs = t.distinct.size;
    report.eventSeqs = e.distinct.size;
    report.duplicatesAfterKills = duplicates() - duplicatesBefore;
    // At-least-once: only a message in flight when a process died can come twice. This test kills Mosquitto
    // once (both windows) and the gateway twice, the first time while the broker is down, so with nothing
    // new in flight; the collector drops the repeats by (device, seq).
    expect(report.duplicatesAfterKills).toBeLessThanOrEqual(2 * MAX_IN_FLIGHT + SUBSCRIBER_IN_FLIGHT);
  });
});
