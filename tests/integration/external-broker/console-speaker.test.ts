import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from '@xaso/broker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedCredentials } from '../../../broker/src/external/index.js';
import type { AudioItem } from '../../../console/src/app/env.js';
import { tempDir } from '../../harness/index.js';
import { DiskAudio } from '../../unit/gateway-speaker/parts.js';
import { until } from '../console-broadcast/wait.js';
import { type ConsoleStack, startConsoleStack } from '../console/fixture.js';
import { type SpeakerGatewayRig, startSpeakerGateway } from '../gateway-speaker/speaker-fixture.js';
import { Capture } from '../gateway/capture.js';
import { type SecuredMosquitto, startSecuredMosquitto } from './secured-mosquitto.js';

const CLUSTER = 'loa-thanh-binh-01';
const catalog = new Map<string, AudioItem>();
let registry: Registry;
let mosquitto: SecuredMosquitto;
let stack: ConsoleStack;
let rig: SpeakerGatewayRig;
let consoleLogin: IssuedCredentials;
let dir: string | undefined;

/** A library entry for a file the cluster already has in its cache (same audio id). */
function libraryEntry(audio: DiskAudio, name: string, durationMs: number): AudioItem {
  const item = audio.add(name, durationMs);
  const entry = {
    id: item.audioId,
    title: name,
    language: 'vi',
    durationMs,
    path: `/media/${item.audioId}`,
    bytes: 100,
  };
  catalog.set(entry.id, entry);
  return entry;
}

beforeAll(async () => {
  dir = await tempDir('xs-ext-console-');
  const registryPath = join(dir, 'registry.sqlite');
  registry = Registry.open(registryPath, { logger: pino({ level: 'silent' }) });
  // Following the registry: the console placing the cluster in an area rewrites the ACL on its own.
  mosquitto = await startSecuredMosquitto(registry, { follow: true });
  consoleLogin = await mosquitto.service('console');
  stack = await startConsoleStack({
    externalBroker: { url: mosquitto.url, registryPath, consolePassword: consoleLogin.password },
    start: { audio: { get: (id) => catalog.get(id) } },
  });
  registry.createDevice({ id: CLUSTER, role: 'speaker-cluster' });
  const login = await mosquitto.device(CLUSTER, 'speaker-cluster');
  const { groups } = await stack.console.core.placement.place(CLUSTER, 'ap-thanh-binh', 'test-fixture');
  rig = await startSpeakerGateway(
    {
      deviceId: CLUSTER,
      mqttUrl: mosquitto.url,
      groups,
      ...login,
      signingPublicKeyPem: stack.ctx.signer.publicKeyPem,
    },
    new DiskAudio(await tempDir('xs-ext-audio-')),
  );
}, 60_000);

afterAll(async () => {
  await rig?.gateway.stop();
  await stack?.close();
  await mosquitto?.stop();
  registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the console → secured Mosquitto → a loudspeaker gateway', () => {
  it("publishes an operator's schedule; the cluster verifies it and the console shows it in sync", async () => {
    const morning = libraryEntry(rig.audio, 'ban-tin-sang', 400);
    const operator = await stack.login('operator');
    const res = await operator.post<{ published: Record<string, number> }>('/api/schedules', {
      title: 'Bản tin sáng',
      target: { kind: 'area', areaId: 'xa-tan-bien' },
      recurrence: { kind: 'daily', time: '06:00' },
      playlist: [morning.id],
      volume: 70,
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.published)).toEqual([CLUSTER]);
    const technician = await stack.login('technician', { areaIds: ['tay-ninh'] });
    const sync = await until(
      'cluster in sync',
      async () => {
        const r = await technician.get<{
          clusters: { clusterId: string; state: string; ackedVersion: number }[];
        }>('/api/schedules/sync');
        return r.body.clusters?.find((c) => c.clusterId === CLUSTER && c.state === 'in-sync');
      },
      15_000,
    );
    expect(sync.ackedVersion).toBe(res.body.published[CLUSTER]);
    expect(rig.audio.prefetched).toContain(morning.id);
  });

  it("sends an approver's emergency on the commune's group topic; the cluster plays it and the console sees it done", async () => {
    const warning = libraryEntry(rig.audio, 'canh-bao-lu', 300);
    const approver = await stack.login('approver');
    const res = await approver.post<{ id: string; clusters: string[] }>('/api/broadcasts/emergency', {
      targets: [{ kind: 'area', areaId: 'xa-tan-bien' }],
      playlist: [warning.id],
      repeat: 1,
      title: 'Lũ quét',
    });
    expect(res.status).toBe(201);
    expect(res.body.clusters).toEqual([CLUSTER]);
    const delivery = await until(
      'emergency done',
      async () => {
        const d = await approver.get<{
          counts: Record<string, number>;
          clusters: { clusterId: string; status: string | null }[];
        }>(`/api/broadcasts/${res.body.id}/delivery`);
        return d.body.counts?.done === 1 ? d.body : undefined;
      },
      15_000,
    );
    expect(delivery.clusters).toEqual([expect.objectContaining({ clusterId: CLUSTER, status: 'done' })]);
    expect(rig.player.records.some((r) => r.source.includes(warning.id))).toBe(true);
  });

  it("keeps the cluster's status retained: online while it runs, offline once it stops", async () => {
    const watcher = await Capture.start(mosquitto.url, CLUSTER, {
      ...consoleLogin,
      clientId: 'console-late',
    });
    try {
      await watcher.until('retained online', () => watcher.statuses.at(-1)?.state === 'online');
      await rig.gateway.stop();
      await watcher.until('offline', () => watcher.statuses.at(-1)?.state === 'offline');
    } finally {
      await watcher.stop();
    }
    const late = await Capture.start(mosquitto.url, CLUSTER, { ...consoleLogin, clientId: 'console-later' });
    try {
      await late.until('retained offline', () => late.statuses.at(-1)?.state === 'offline');
    } finally {
      await late.stop();
    }
  });
});
