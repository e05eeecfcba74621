import { topics } from '@xaso/device-profiles/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { type RoleRig, roleRig, signedCommand } from './role-harness.js';

const CMD = topics.command('spk-1');
const GROUP = topics.groupCommand('xa-1');

describe('priorities, interruption and proof of broadcast (SpeakerRole over a clock player)', () => {
  let rig: RoleRig | undefined;
  afterEach(async () => {
    await rig?.role.stop();
    rig = undefined;
  });

  it('an emergency interrupts a normal broadcast at once; the normal one resumes where it stopped', async () => {
    rig = await roleRig();
    const { context, player, audio } = rig;
    const news = [audio.add('news-1', 600), audio.add('news-2', 400)];
    const siren = audio.add('flood-warning', 250);
    const normal = signedCommand({
      type: 'play',
      broadcastId: 'news',
      priority: 'normal',
      playlist: news,
      volume: 40,
    });
    context.deliver(CMD, normal);
    await context.until('news playing', () => context.playback('start').length === 1);
    await new Promise((r) => setTimeout(r, 300));
    const emergency = signedCommand(
      {
        type: 'play',
        broadcastId: 'flood',
        priority: 'emergency',
        playlist: [siren],
        repeat: 2,
        volume: 100,
      },
      { target: { kind: 'group', groupId: 'xa-1' } },
    );
    const sentAt = Date.now();
    context.deliver(GROUP, emergency);
    await context.until('news done', () => context.acksOf(normal.id).includes('done'), 5000);

    const events = context.playback().map((e) => `${e.broadcastId}:${e.phase}`);
    expect(events).toEqual([
      'news:start',
      'news:interrupted',
      'flood:start',
      'flood:end',
      'flood:start',
      'flood:end',
      'news:start',
      'news:end',
      'news:start',
      'news:end',
    ]);
    const interrupted = context.playback('interrupted')[0];
    expect(interrupted?.reason).toMatch(/emergency flood/);
    expect(interrupted?.durationMs).toBeGreaterThan(200);
    // Acks in order, and the emergency is received and playing quickly.
    expect(context.acksOf(emergency.id)).toEqual(['received', 'playing', 'done']);
    expect(context.acksOf(normal.id)).toEqual(['received', 'playing', 'done']);
    const playingAck = context.acks.find(
      (a) => a.ref.kind === 'command' && a.ref.commandId === emergency.id && a.status === 'playing',
    );
    expect((playingAck?.at ?? Number.POSITIVE_INFINITY) - sentAt).toBeLessThan(500);
    // The player: news-1 cut, the siren twice at its volume, news-1 resumed part-way at the news volume.
    const files = player.records.map((r) => ({
      source: r.source.split('/').pop(),
      volume: r.volume,
      offsetMs: r.offsetMs,
    }));
    expect(files.map((f) => f.volume)).toEqual([40, 100, 100, 40, 40]);
    expect(files[3]?.source).toBe(files[0]?.source);
    expect(files[3]?.offsetMs).toBe(interrupted?.durationMs);
    expect(player.records[0]?.outcome?.kind).toBe('interrupted');
  });

  it('queues by level: priority before normal, first come first served within a level', async () => {
    rig = await roleRig();
    const { context, audio } = rig;
    const item = audio.add('x', 150);
    const play = (broadcastId: string, priority: string) =>
      signedCommand({ type: 'play', broadcastId, priority, playlist: [item] });
    context.deliver(CMD, play('first', 'normal'));
    context.deliver(CMD, play('second', 'normal'));
    context.deliver(CMD, play('urgent', 'priority'));
    await context.until('all played', () => context.playback('end').length === 3, 5000);
    expect(context.playback('start').map((e) => e.broadcastId)).toEqual(['first', 'urgent', 'second']);
  });

  it('amplifier on before the first sound (warm-up), off after the idle time', async () => {
    rig = await roleRig({ amplifierWarmupMs: 300, amplifierIdleOffMs: 400 });
    const { context, board, audio } = rig;
    context.deliver(
      CMD,
      signedCommand({ type: 'play', broadcastId: 'b', priority: 'normal', playlist: [audio.add('a', 200)] }),
    );
    await context.until('played', () => context.playback('end').length === 1, 5000);
    const start = context.playback('start')[0]?.at ?? 0;
    const end = context.playback('end')[0]?.at ?? 0;
    expect(board.power[0]?.on).toBe(true);
    expect(start - (board.power[0]?.at ?? start)).toBeGreaterThanOrEqual(290);
    expect(rig.role.health().speaker?.amplifier).toBe('on');
    await context.until('amplifier off', () => board.power.length === 2, 3000);
    expect(board.power[1]?.on).toBe(false);
    expect((board.power[1]?.at ?? 0) - end).toBeGreaterThanOrEqual(380);
    expect(rig.role.health().speaker?.amplifier).toBe('off');
  });

  it('reports an amplifier fault and a missing file as failures with the reason', async () => {
    rig = await roleRig();
    const { context, board, audio, player } = rig;
    board.broken = 'Modbus timeout';
    const cmd = signedCommand({
      type: 'play',
      broadcastId: 'b',
      priority: 'normal',
      playlist: [audio.add('a', 100)],
    });
    context.deliver(CMD, cmd);
    await context.until('failed ack', () => context.acksOf(cmd.id).includes('failed'));
    expect(context.playback('failed')[0]?.reason).toMatch(/amplifier did not switch on: Modbus timeout/);
    expect(context.events.some((e) => e.event.kind === 'fault' && e.event.code === 'amplifier')).toBe(true);
    expect(rig.role.health().speaker?.amplifier).toBe('fault');
    expect(player.records).toHaveLength(0);

    board.broken = undefined;
    const missing = signedCommand({
      type: 'play',
      broadcastId: 'ghost',
      priority: 'normal',
      playlist: [audio.absent('ghost', 300)],
    });
    context.deliver(CMD, missing);
    await context.until('failed ack', () => context.acksOf(missing.id).includes('failed'));
    expect(context.playback('failed')[1]?.reason).toMatch(/file missing/);
    expect(context.acksOf(missing.id)).toEqual(['received', 'failed']);
    // The board answers again: the fault is cleared.
    expect(
      context.events.some((e) => e.event.kind === 'fault' && e.event.code === 'amplifier' && e.event.cleared),
    ).toBe(true);
    expect(player.records).toHaveLength(0);
  });

  it('stop, set-volume, amplifier, ping and reboot commands are acknowledged', async () => {
    rig = await roleRig();
    const { context, audio, player, board } = rig;
    const long = signedCommand({
      type: 'live',
      broadcastId: 'radio',
      priority: 'normal',
      url: 'http://radio.example/stream',
    });
    context.deliver(CMD, long);
    await context.until('relay playing', () => context.acksOf(long.id).includes('playing'));
    expect(rig.role.health().speaker?.playing).toMatchObject({ broadcastId: 'radio', priority: 'normal' });
    const volume = signedCommand({ type: 'set-volume', volume: 35 });
    context.deliver(CMD, volume);
    await context.until('volume', () => context.acksOf(volume.id).includes('done'));
    expect(player.volume).toBe(35);
    expect(rig.role.health().speaker?.volume).toBe(35);
    const stop = signedCommand({ type: 'stop', broadcastId: 'radio' });
    context.deliver(CMD, stop);
    await context.until('stopped', () => context.acksOf(long.id).includes('done'));
    expect(context.acksOf(stop.id)).toEqual(['received', 'done']);
    expect(context.playback('interrupted')[0]?.reason).toMatch(/stopped by officer/);
    const amp = signedCommand({ type: 'amplifier', on: false });
    context.deliver(CMD, amp);
    await context.until('amp', () => context.acksOf(amp.id).includes('done'));
    expect(board.isOn).toBe(false);
    const ping = signedCommand({ type: 'ping' });
    context.deliver(CMD, ping);
    expect(context.acksOf(ping.id)).toEqual(['received', 'done']);
    const reboot = signedCommand({ type: 'reboot' });
    context.deliver(CMD, reboot);
    await context.until('reboot answered', () => context.acksOf(reboot.id).includes('failed'));
    expect(context.restarts).toHaveLength(1);
    expect(audio.fetched).toHaveLength(0);
  });

  it('refused commands play nothing and are reported with an event and a refused ack', async () => {
    rig = await roleRig();
    const { context, audio, player } = rig;
    const good = signedCommand({
      type: 'play',
      broadcastId: 'b',
      priority: 'emergency',
      playlist: [audio.add('a', 100)],
    });
    context.deliver(CMD, good);
    await context.until('played', () => context.acksOf(good.id).includes('done'));
    const played = player.records.length;
    const forged = { ...signedCommand({ type: 'reboot' }), body: { type: 'ping' } };
    const expired = signedCommand({ type: 'ping' }, { expiresAt: Date.now() - 1 });
    const foreign = signedCommand({ type: 'ping' }, { target: { kind: 'device', deviceId: 'spk-2' } });
    for (const message of [good, forged, expired, foreign]) context.deliver(CMD, message);
    context.deliver(CMD, 'not json');
    const refusals = context.events.filter((e) => e.event.kind === 'refused').map((e) => e.event);
    expect(refusals.map((r) => (r.kind === 'refused' ? r.reason : ''))).toEqual([
      'replayed',
      'bad-signature',
      'expired',
      'wrong-device',
      'malformed',
    ]);
    expect(context.acks.filter((a) => a.status === 'refused')).toHaveLength(4);
    await new Promise((r) => setTimeout(r, 200));
    expect(player.records).toHaveLength(played);
  });

  it('with the board attenuating, the player plays at 100 and the board gets the job volume, then the cluster one', async () => {
    rig = await roleRig({ volumeControl: 'amplifier', defaultVolume: 60 });
    const { context, audio, board, player } = rig;
    const cmd = signedCommand({
      type: 'play',
      broadcastId: 'b',
      priority: 'normal',
      playlist: [audio.add('a', 100)],
      volume: 30,
    });
    context.deliver(CMD, cmd);
    await context.until('done', () => context.acksOf(cmd.id).includes('done'));
    await context.until('volume restored', () => board.volumes.length === 2);
    expect(board.volumes).toEqual([30, 60]);
    expect(player.records[0]?.volume).toBe(100);
  });

  it('group subscriptions and the default volume follow the remote config', async () => {
    rig = await roleRig({}, { groups: ['xa-1'] });
    const { context, role } = rig;
    expect([...context.handlers.keys()]).toContain(topics.groupCommand('xa-1'));
    await role.applyConfig({ groups: ['xa-2'], defaultVolume: 20 });
    expect([...context.handlers.keys()]).toContain(topics.groupCommand('xa-2'));
    expect([...context.handlers.keys()]).not.toContain(topics.groupCommand('xa-1'));
    context.deliver(CMD, signedCommand({ type: 'ping' }, { target: { kind: 'group', groupId: 'xa-1' } }));
    expect(context.events.at(-1)?.event).toMatchObject({ kind: 'refused', reason: 'wrong-device' });
    expect(role.health().speaker?.volume).toBe(20);
  });
});
