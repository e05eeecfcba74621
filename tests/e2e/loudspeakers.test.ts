import { createHash } from 'node:crypto';
import type { AudioItem } from '@xaso/console';
import { AckSchema, DeviceEventSchema, filters } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpeakerFleet } from '../../scripts/fleet/speaker-fleet.js';
import { type ConsoleStack, startConsoleStack } from '../integration/console/fixture.js';
import { placeClusters } from './fleet-clusters.js';

// 200 real speaker gateways behind simulated 3G/4G uplinks, our broker, the console API: a one-off broadcast
// for one commune, half the fleet offline across its start, every cluster plays on time and every playback
// log reaches the console exactly once (deduplicated by device and seq, as the collector stores them).
const N = 200;
const COMMUNE = 'xa-tan-bien';
const SPEED = 10;
const AUDIO_MS = 20_000;
const id = createHash('sha256').update('Bản tin buổi sáng e2e').digest('hex');
const morning: AudioItem = {
  id,
  title: 'Bản tin buổi sáng',
  language: 'vi',
  durationMs: AUDIO_MS,
  path: `/media/${id}`,
  bytes: 1000,
};

interface Arrival {
  seq: number;
  phase: string;
  ts: number;
  scheduledAt: number | undefined;
  audioId: string | undefined;
  receivedAt: number;
}

let stack: ConsoleStack;
let fleet: SpeakerFleet | undefined;
const ids = Array.from({ length: N }, (_, i) => `loa-tb-${String(i).padStart(3, '0')}`);
const arrivals = new Map<string, Arrival[]>();
const deliveries = new Map<string, number>();
const played = new Map<string, number[]>();
/** Clusters that reported the console's pushed config: subscribed, retained messages delivered. */
const configured = new Set<string>();
const scheduleAcks = new Set<string>();
const refusals: string[] = [];

/** Vietnam local date and time (UTC+7, no DST) of an instant, as the schedule API takes them. */
function vietnamLocal(epochMs: number): { date: string; time: string } {
  const iso = new Date(epochMs + 7 * 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  state: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${state()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  stack = await startConsoleStack({
    start: { audio: { get: (audioId) => (audioId === morning.id ? morning : undefined) } },
    config: { logLevel: 'info' },
  });
  await stack.ctx.uplink.subscribe(filters.allAcks, (_topic, payload) => {
    const ack = AckSchema.safeParse(JSON.parse(payload.toString()));
    if (ack.success && ack.data.ref.kind === 'schedule') scheduleAcks.add(ack.data.deviceId);
  });
  await stack.ctx.uplink.subscribe(filters.allEvents, (_topic, payload) => {
    const parsed = DeviceEventSchema.safeParse(JSON.parse(payload.toString()));
    if (parsed.success && parsed.data.event.kind === 'config') configured.add(parsed.data.deviceId);
    if (parsed.success && parsed.data.event.kind === 'refused')
      refusals.push(`${parsed.data.deviceId}: ${JSON.stringify(parsed.data.event)}`);
    if (!parsed.success || parsed.data.event.kind !== 'playback') return;
    const { deviceId, seq, ts, event } = parsed.data;
    const key = `${deviceId}:${seq}`;
    deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
    if ((deliveries.get(key) ?? 0) > 1) return;
    const list = arrivals.get(deviceId) ?? [];
    list.push({
      seq,
      phase: event.phase,
      ts,
      scheduledAt: event.scheduledAt,
      audioId: event.audioId,
      receivedAt: Date.now(),
    });
    arrivals.set(deviceId, list);
  });
  let t = Date.now();
  const credentials = await placeClusters(stack, ids, COMMUNE);
  const placedMs = Date.now() - t;
  t = Date.now();
  const [host, port] = stack.mqttUrl.replace('mqtt://', '').split(':');
  fleet = await SpeakerFleet.start(credentials, {
    broker: { host: host ?? '127.0.0.1', port: Number(port) },
    signingPublicKeyPem: stack.ctx.signer.publicKeyPem,
    speed: SPEED,
    latencyMs: [20, 150],
    jitterMs: 30,
    reconnectPeriodMs: 500,
    onPlayback: (clusterId, record, phase) => {
      if (phase === 'start' && record.kind === 'file')
        played.set(clusterId, [...(played.get(clusterId) ?? []), record.startedAt]);
    },
  });
  const down = await fleet.waitConnected(60_000);
  expect(down).toEqual([]);
  const connectedMs = Date.now() - t;
  await until(
    'every cluster to apply its pushed config',
    () => ids.every((c) => configured.has(c)),
    60_000,
    () => JSON.stringify({ configured: configured.size }),
  );
  process.stdout.write(
    `${JSON.stringify({ e2e: 'setup', placedMs, connectedMs, configuredMs: Date.now() - t })}\n`,
  );
}, 150_000);

afterAll(async () => {
  const started = Date.now();
  await fleet?.stop();
  process.stdout.write(`fleet stopped in ${Date.now() - started} ms\n`);
  await stack?.close();
}, 60_000);

describe('200 loudspeaker clusters, one commune, half offline across the start', () => {
  it('every cluster plays the broadcast on time and every playback log arrives once', async () => {
    const operator = await stack.login('operator');
    const startAt = Math.ceil((Date.now() + 25_000) / 1000) * 1000;
    const res = await operator.post<{ schedule: { id: string; status: string } }>('/api/schedules', {
      title: 'Bản tin sáng toàn xã',
      target: { kind: 'area', areaId: COMMUNE },
      recurrence: { kind: 'once', ...vietnamLocal(startAt) },
      playlist: [morning.id],
      volume: 70,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.schedule.status).toBe('active');

    // Every cluster acknowledged the signed schedule before half of them go dark.
    let states: Record<string, number> = {};
    await until(
      'every cluster to acknowledge the schedule',
      async () => {
        const sync = await operator.get<{
          clusters: { clusterId: string; state: string; ackedStatus: string | null }[];
        }>('/api/schedules/sync');
        states = {};
        const pending = sync.body.clusters.filter((c) => c.state !== 'in-sync').map((c) => c.clusterId);
        states.pendingConnected = pending.filter((c) => fleet?.get(c)?.gateway.link.connected).length;
        states.pendingButAckSeen = pending.filter((c) => scheduleAcks.has(c)).length;
        states.refusals = refusals.length;
        for (const c of sync.body.clusters)
          states[`${c.state}/${c.ackedStatus}`] = (states[`${c.state}/${c.ackedStatus}`] ?? 0) + 1;
        return sync.body.clusters.filter((c) => c.state === 'in-sync').length >= N;
      },
      Math.max(1000, startAt - Date.now() - 2000),
      () => `${JSON.stringify(states)} ${refusals.slice(0, 3).join(' | ')}`,
    );
    const offline = ids.filter((_, i) => i % 2 === 1);
    const f = fleetOf();
    f.cut(offline);
    await until(
      'offline clusters to notice',
      () => offline.every((c) => !f.get(c)?.gateway.link.connected),
      5000,
    );

    // Past the start and the (sped-up) end of the item, then the cell comes back.
    await until('the broadcast to be over', () => Date.now() > startAt + AUDIO_MS / SPEED + 1500, 40_000);
    const restoredAt = Date.now();
    f.restore(offline);
    expect(await f.waitConnected(30_000)).toEqual([]);
    await until(
      'start and end logs from every cluster',
      () => ids.every((c) => phases(c).includes('end')),
      30_000,
      () => {
        const late = ids.filter((c) => !phases(c).includes('end'));
        const sample = late.slice(0, 3).map((c) => ({ c, arrivals: arrivals.get(c), played: played.get(c) }));
        return JSON.stringify({ late: late.length, sample });
      },
    );
    // A little longer: a duplicate start or a late redelivery would show up now.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    for (const c of ids) {
      const logs = (arrivals.get(c) ?? []).filter((a) => a.audioId === morning.id);
      const starts = logs.filter((a) => a.phase === 'start');
      expect(
        starts,
        `${c} start events: ${JSON.stringify(arrivals.get(c))} played ${JSON.stringify(played.get(c))}`,
      ).toHaveLength(1);
      expect(
        logs.filter((a) => a.phase === 'end'),
        `${c} end events`,
      ).toHaveLength(1);
      const [start] = starts;
      expect(start?.scheduledAt, `${c} scheduledAt`).toBe(startAt);
      expect(Math.abs((start?.ts ?? 0) - startAt), `${c} start event lateness`).toBeLessThanOrEqual(1000);
      const heard = played.get(c) ?? [];
      expect(heard, `${c} playbacks`).toHaveLength(1);
      expect(Math.abs((heard[0] ?? 0) - startAt), `${c} playback lateness`).toBeLessThanOrEqual(1000);
      // The offline half could only report after its uplink came back: the logs went through the disk queue.
      if (offline.includes(c)) expect(start?.receivedAt ?? 0).toBeGreaterThanOrEqual(restoredAt);
    }
    const seqs = ids.flatMap((c) => (arrivals.get(c) ?? []).map((a) => `${c}:${a.seq}`));
    expect(new Set(seqs).size).toBe(seqs.length);
    const redelivered = [...deliveries.values()].filter((n) => n > 1).length;
    process.stdout.write(
      `${JSON.stringify({ e2e: 'loudspeakers', clusters: N, offline: offline.length, redeliveredPlaybackLogs: redelivered })}\n`,
    );
  }, 150_000);
});

function fleetOf(): SpeakerFleet {
  if (!fleet) throw new Error('the fleet did not start');
  return fleet;
}

function phases(clusterId: string): string[] {
  return (arrivals.get(clusterId) ?? []).filter((a) => a.audioId === morning.id).map((a) => a.phase);
}
