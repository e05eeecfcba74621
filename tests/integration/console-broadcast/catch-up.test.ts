import { createHash } from 'node:crypto';
import type { AudioItem } from '@xaso/console';
import { AckSchema, DeviceEventSchema, filters } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpeakerFleet } from '../../../scripts/fleet/speaker-fleet.js';
import { placeClusters } from '../../e2e/fleet-clusters.js';
import { type ApiClient, type ConsoleStack, startConsoleStack } from '../console/fixture.js';

// Gateways hold clean sessions: a command published while a cluster is offline never reaches it from the
// broker. The console sends a still-valid, unanswered command again when the cluster announces itself online.
const COMMUNE = 'xa-tan-bien';
const ids = ['loa-cu-0', 'loa-cu-1', 'loa-cu-2', 'loa-cu-3'];
const audioId = createHash('sha256').update('Còi báo lũ catch-up').digest('hex');
const siren: AudioItem = {
  id: audioId,
  title: 'Còi báo lũ',
  language: 'vi',
  durationMs: 600_000,
  path: `/media/${audioId}`,
  bytes: 1000,
};

let stack: ConsoleStack;
let fleet: SpeakerFleet | undefined;
let operator: ApiClient;
/** `${clusterId}:${commandId}` → first `playing` ack. */
const playing = new Set<string>();
const received = new Set<string>();
const configured = new Set<string>();

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function emergency(title: string): Promise<{ id: string; commandIds: string[] }> {
  const res = await operator.post<{ id: string; commandIds: string[] }>('/api/broadcasts/emergency', {
    targets: [{ kind: 'area', areaId: COMMUNE }],
    title,
    playlist: [audioId],
    repeat: 1,
  });
  expect(res.status).toBe(201);
  return res.body;
}

const playedBy = (cluster: string, commandIds: string[]) =>
  commandIds.some((cmd) => playing.has(`${cluster}:${cmd}`));
const receivedBy = (cluster: string, commandIds: string[]) =>
  commandIds.some((cmd) => received.has(`${cluster}:${cmd}`));

beforeAll(async () => {
  stack = await startConsoleStack({
    start: { audio: { get: (id) => (id === audioId ? siren : undefined) } },
  });
  await stack.ctx.uplink.subscribe(filters.allAcks, (_topic, payload) => {
    const ack = AckSchema.safeParse(JSON.parse(payload.toString()));
    if (ack.success && ack.data.ref.kind === 'command' && ack.data.status === 'received')
      received.add(`${ack.data.deviceId}:${ack.data.ref.commandId}`);
    if (ack.success && ack.data.ref.kind === 'command' && ack.data.status === 'playing')
      playing.add(`${ack.data.deviceId}:${ack.data.ref.commandId}`);
  });
  await stack.ctx.uplink.subscribe(filters.allEvents, (_topic, payload) => {
    const e = DeviceEventSchema.safeParse(JSON.parse(payload.toString()));
    if (e.success && e.data.event.kind === 'config') configured.add(e.data.deviceId);
  });
  const credentials = await placeClusters(stack, ids, COMMUNE);
  const [host, port] = stack.mqttUrl.replace('mqtt://', '').split(':');
  fleet = await SpeakerFleet.start(credentials, {
    broker: { host: host ?? '127.0.0.1', port: Number(port) },
    signingPublicKeyPem: stack.ctx.signer.publicKeyPem,
    speed: 1,
    latencyMs: [0, 5],
    jitterMs: 0,
    reconnectPeriodMs: 200,
  });
  expect(await fleet.waitConnected(60_000)).toEqual([]);
  await until('every cluster configured', () => ids.every((c) => configured.has(c)), 60_000);
  operator = await stack.login('operator');
}, 120_000);

afterAll(async () => {
  await fleet?.stop();
  await stack?.close();
}, 60_000);

describe('emergency to clusters that were offline when it went out', () => {
  it('reaches a cluster when it comes back online, and only the ones that missed it', async () => {
    const [away, alsoAway] = [ids[2] ?? '', ids[3] ?? ''];
    fleet?.cut([away, alsoAway]);
    await until('the cut clusters to drop', () => !fleet?.connected().includes(away), 20_000);
    const sent = await emergency('Lũ quét');
    await until(
      'the connected clusters to play',
      () => ids.slice(0, 2).every((c) => playedBy(c, sent.commandIds)),
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(playedBy(away, sent.commandIds)).toBe(false);

    fleet?.restore([away, alsoAway]);
    await until(
      'the returning clusters to play',
      () => playedBy(away, sent.commandIds) && playedBy(alsoAway, sent.commandIds),
      30_000,
    );
    const progress = await operator.get<{ delivered: boolean }>(`/api/broadcasts/${sent.id}/delivery`);
    expect(progress.status).toBe(200);
    expect(progress.body.delivered).toBe(true);
    expect((await operator.post(`/api/broadcasts/${sent.id}/stop`, {})).status).toBe(200);
  }, 90_000);

  it('does not send a stopped broadcast to a cluster that comes back after the stop', async () => {
    const away = ids[1] ?? '';
    fleet?.cut([away]);
    await until('the cut cluster to drop', () => !fleet?.connected().includes(away), 20_000);
    const sent = await emergency('Bão số 3');
    await until(
      'the others to get it',
      () => [ids[0], ids[2], ids[3]].every((c) => receivedBy(c ?? '', sent.commandIds)),
      20_000,
    );
    expect((await operator.post(`/api/broadcasts/${sent.id}/stop`, { note: 'hết nguy hiểm' })).status).toBe(
      200,
    );
    fleet?.restore([away]);
    await until('the cluster to reconnect', () => fleet?.connected().includes(away) ?? false, 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(receivedBy(away, sent.commandIds)).toBe(false);
  }, 90_000);
});
