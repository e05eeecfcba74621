import { type Ack, topics } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto } from '../../harness/index.js';
import { signedCommand, signedSchedule } from '../../unit/gateway-speaker/role-harness.js';
import { Capture } from '../gateway/capture.js';
import { type SpeakerGatewayRig, startSpeakerGateway } from './speaker-fixture.js';

const ID = 'spk-1';
const GROUP = 'xa-7';

describe('the loudspeaker gateway over a real broker', () => {
  let mosquitto: ServerHandle;
  let capture: Capture;
  let rig: SpeakerGatewayRig;
  const report: Record<string, number> = {};

  const publish = (topic: string, message: unknown, retain = false) =>
    capture.client.publishAsync(topic, typeof message === 'string' ? message : JSON.stringify(message), {
      qos: 1,
      retain,
    });
  const playback = () =>
    capture.events.flatMap((e) => (e.event.kind === 'playback' ? [{ ...e.event, ts: e.ts }] : []));
  const refusals = () => capture.events.flatMap((e) => (e.event.kind === 'refused' ? [e.event] : []));
  const ackOf = (commandId: string, status: Ack['status']) =>
    capture.acks.find(
      (a) => a.ref.kind === 'command' && a.ref.commandId === commandId && a.status === status,
    );

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    capture = await Capture.start(mosquitto.url, ID);
    rig = await startSpeakerGateway({ deviceId: ID, mqttUrl: mosquitto.url, groups: [GROUP] });
    await capture.until('online status', () => capture.statuses.some((s) => s.state === 'online'));
  });

  afterAll(async () => {
    await rig?.gateway.stop();
    await capture?.stop();
    await mosquitto?.stop();
    process.stdout.write(`[gateway-speaker mqtt] ${JSON.stringify(report)}\n`);
  });

  it('runs a retained schedule; an emergency on the group topic interrupts it, and the slot resumes', async () => {
    const news = rig.audio.add('news', 1500);
    const siren = rig.audio.add('siren', 300);
    const at = Date.now() + 1500;
    const schedule = signedSchedule(1, [
      {
        id: 'news',
        broadcastId: 'b-news',
        title: 'Tin tức',
        at,
        validFrom: at - 60_000,
        playlist: [news],
        volume: 50,
        priority: 'normal',
      },
    ]);
    await publish(topics.schedule(ID), schedule, true);
    await capture.until('schedule done ack', () =>
      capture.acks.some((a) => a.ref.kind === 'schedule' && a.ref.version === 1 && a.status === 'done'),
    );
    await capture.until('news started', () => playback().some((e) => e.phase === 'start'));
    await new Promise((r) => setTimeout(r, 300));

    const emergency = signedCommand(
      {
        type: 'play',
        broadcastId: 'b-storm',
        priority: 'emergency',
        playlist: [siren],
        repeat: 2,
        volume: 100,
      },
      { target: { kind: 'group', groupId: GROUP } },
    );
    const sentAt = Date.now();
    await publish(topics.groupCommand(GROUP), emergency);
    await capture.until('playing ack', () => ackOf(emergency.id, 'playing') !== undefined);
    report.receivedAckMs = (ackOf(emergency.id, 'received')?.ts ?? 0) - sentAt;
    report.playingAckMs = (ackOf(emergency.id, 'playing')?.ts ?? 0) - sentAt;
    report.playingAckArrivedMs = Date.now() - sentAt;
    // One cluster: ~100 ms here even on a loaded machine; the bound is loose for a noisy shared 2-core VM
    // (the fleet's 250 ms p99 is measured by tests/bench/gateway-speaker/emergency-acks.ts).
    expect(report.playingAckArrivedMs).toBeLessThan(1000);

    await capture.until(
      'news finished',
      () => playback().some((e) => e.broadcastId === 'b-news' && e.phase === 'end'),
      10_000,
    );
    expect(playback().map((e) => `${e.broadcastId}:${e.phase}`)).toEqual([
      'b-news:start',
      'b-news:interrupted',
      'b-storm:start',
      'b-storm:end',
      'b-storm:start',
      'b-storm:end',
      'b-news:start',
      'b-news:end',
    ]);
    const resumed = rig.player.records.at(-1);
    expect(resumed?.volume).toBe(50);
    expect(resumed?.offsetMs).toBeGreaterThan(200);
    expect(capture.acks.filter((a) => a.ref.kind === 'command').map((a) => a.status)).toEqual([
      'received',
      'playing',
      'done',
    ]);
  });

  it('refuses forged, expired, replayed, wrong-device, unsigned and malformed commands, and plays nothing', async () => {
    const item = rig.audio.add('x', 200);
    const body = { type: 'play', broadcastId: 'b-x', priority: 'emergency', playlist: [item] };
    const valid = signedCommand({ type: 'ping' });
    await publish(topics.command(ID), valid);
    await capture.until('ping done', () => ackOf(valid.id, 'done') !== undefined);
    const forged = { ...signedCommand(body), issuer: 'intruder' };
    const expired = signedCommand(body, { expiresAt: Date.now() - 1000 });
    const foreign = signedCommand(body, { target: { kind: 'device', deviceId: 'spk-2' } });
    const otherGroup = signedCommand(body, { target: { kind: 'group', groupId: 'xa-8' } });
    const unsigned = { ...signedCommand(body), sig: undefined };
    await publish(topics.command(ID), forged);
    await publish(topics.command(ID), expired);
    await publish(topics.command(ID), valid);
    await publish(topics.command(ID), foreign);
    await publish(topics.groupCommand(GROUP), otherGroup);
    await publish(topics.command(ID), unsigned);
    await publish(topics.command(ID), '{"v":1,"body":');
    await capture.until('7 refusals', () => refusals().length >= 7);
    expect(refusals().map((r) => r.reason)).toEqual([
      'bad-signature',
      'expired',
      'replayed',
      'wrong-device',
      'wrong-device',
      'unsigned',
      'malformed',
    ]);
    await capture.until('refused acks', () => capture.acks.filter((a) => a.status === 'refused').length >= 6);
    expect(ackOf(forged.id, 'refused')?.reason).toBe('bad-signature');
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.player.records.filter((r) => r.source.includes(item.audioId))).toEqual([]);
    expect(capture.invalid).toEqual([]);
  });

  it('takes a newer schedule version, refuses an older one, and shows the version in the status', async () => {
    const item = rig.audio.add('y', 200);
    const entry = {
      id: 'later',
      broadcastId: 'b-later',
      title: 'Sau',
      cron: '0 0 5 * * *',
      validFrom: 0,
      playlist: [item],
      volume: 40,
      priority: 'normal',
    };
    await publish(topics.schedule(ID), signedSchedule(2, [entry]), true);
    await capture.until('v2 done', () =>
      capture.acks.some((a) => a.ref.kind === 'schedule' && a.ref.version === 2 && a.status === 'done'),
    );
    await capture.until(
      'status with v2',
      () => capture.statuses.at(-1)?.speaker?.scheduleVersion === 2,
      5000,
    );
    expect(capture.statuses.at(-1)).toMatchObject({
      role: 'speaker-cluster',
      speaker: { amplifier: 'on', volume: 70 },
    });
    await publish(topics.schedule(ID), signedSchedule(1, [entry]), true);
    await capture.until('stale refusal', () => refusals().some((r) => r.reason === 'stale-version'));
    expect(capture.acks.at(-1)).toMatchObject({ ref: { kind: 'schedule', version: 1 }, status: 'refused' });
    expect(rig.audio.prefetched).toContain(item.audioId);
  });
});
