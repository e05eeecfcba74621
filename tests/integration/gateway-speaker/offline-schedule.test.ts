import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto, tempDir } from '../../harness/index.js';
import { DiskAudio } from '../../unit/gateway-speaker/parts.js';
import { signedSchedule } from '../../unit/gateway-speaker/role-harness.js';
import { Capture } from '../gateway/capture.js';
import { inspectQueue } from '../gateway/queue-file.js';
import { MOSQUITTO_SAVE_EVERY_CHANGE } from '../gateway/test-broker.js';
import { type SpeakerGatewayRig, startSpeakerGateway } from './speaker-fixture.js';

const ID = 'spk-1';

describe('a persisted schedule plays on time with no uplink; its proof of broadcast arrives once', () => {
  let mosquitto: ServerHandle | undefined;
  let capture: Capture | undefined;
  let rig: SpeakerGatewayRig | undefined;

  afterAll(async () => {
    await rig?.gateway.stop();
    await capture?.stop();
    await mosquitto?.stop();
  });

  it('starts an `at` slot and a cron slot within 1 s with the broker down, then delivers the events', async () => {
    mosquitto = await startMosquitto({ persistence: true, extraConfig: MOSQUITTO_SAVE_EVERY_CHANGE });
    // A persistent session: the checker gets what the gateway sends as soon as the broker is back.
    capture = await Capture.start(mosquitto.url, ID, { clientId: 'spk-offline-checker', clean: false });
    // Mosquitto saves the session on its 1 s autosave; a SIGKILL before that would forget the subscription.
    await new Promise((r) => setTimeout(r, 1500));
    await mosquitto.kill();

    const dataDir = await tempDir('xs-spk-offline-');
    const audio = new DiskAudio(await tempDir('xs-spk-audio-'));
    const item = audio.add('bulletin', 300);
    const now = Date.now();
    const at = now + 2000;
    const cronSlot = Math.ceil((now + 3000) / 1000) * 1000;
    const schedule = signedSchedule(5, [
      {
        id: 'once',
        broadcastId: 'b-once',
        title: 'Thông báo',
        at,
        validFrom: now - 1000,
        playlist: [item],
        volume: 60,
        priority: 'normal',
      },
      // Every second, but valid for one second only: exactly one slot, fired by node-cron.
      {
        id: 'cron',
        broadcastId: 'b-cron',
        title: 'Bản tin',
        cron: '* * * * * *',
        validFrom: cronSlot,
        validTo: cronSlot + 1000,
        playlist: [item],
        volume: 60,
        priority: 'normal',
      },
    ]);
    writeFileSync(join(dataDir, 'schedule.json'), JSON.stringify(schedule));

    rig = await startSpeakerGateway({ deviceId: ID, mqttUrl: mosquitto.url, dataDir }, audio);
    const player = rig.player;
    const deadline = Date.now() + 8000;
    while (player.records.filter((r) => r.endedAt !== undefined).length < 2 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(rig.gateway.link.connected).toBe(false);
    const [first, second] = player.records;
    expect(player.records).toHaveLength(2);
    expect(Math.abs((first?.startedAt ?? 0) - at), 'at-slot start error (ms)').toBeLessThan(1000);
    expect(Math.abs((second?.startedAt ?? 0) - cronSlot), 'cron-slot start error (ms)').toBeLessThan(1000);
    expect(inspectQueue(dataDir).depth).toBeGreaterThanOrEqual(4);

    await mosquitto.restart();
    const playback = () => (capture?.events ?? []).filter((e) => e.event.kind === 'playback');
    await capture.until('4 playback events', () => playback().length >= 4, 15_000);
    await capture.until('queue drained', () => inspectQueue(dataDir).depth === 0, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const seen = playback().map((e) =>
      e.event.kind === 'playback' ? `${e.event.entryId}:${e.event.phase}` : '',
    );
    expect(seen.sort()).toEqual(['cron:end', 'cron:start', 'once:end', 'once:start']);
    const seqs = capture.events.map((e) => e.seq);
    expect(new Set(seqs).size, 'event seqs delivered more than once').toBe(seqs.length);
    // The start event is stamped when the slot started, not when it reached the broker.
    const once = playback().find(
      (e) => e.event.kind === 'playback' && e.event.entryId === 'once' && e.event.phase === 'start',
    );
    expect(Math.abs((once?.ts ?? 0) - at)).toBeLessThan(1000);
    expect(capture.invalid).toEqual([]);
  });
});
