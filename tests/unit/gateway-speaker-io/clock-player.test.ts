import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClockPlayer } from '../../../gateway-firmware-ts/src/speaker/io/index.js';

describe('clock player', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('plays a file for its duration minus the offset, and records it', async () => {
    const player = new ClockPlayer();
    const playback = player.playFile('/a.mp3', { volume: 70, durationMs: 10_000, offsetMs: 4_000 });
    let settled = false;
    void playback.done.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(5_999);
    expect(settled).toBe(false);
    expect(player.playing.map((r) => r.source)).toEqual(['/a.mp3']);
    await vi.advanceTimersByTimeAsync(1);
    expect(await playback.done).toEqual({ kind: 'completed', playedMs: 6_000 });
    expect(player.playing).toEqual([]);
    expect(player.records).toMatchObject([
      { kind: 'file', source: '/a.mp3', volume: 70, offsetMs: 4_000, outcome: { kind: 'completed' } },
    ]);
  });

  it('stop() ends a playback as interrupted with the time it played', async () => {
    const player = new ClockPlayer();
    const playback = player.playFile('/a.mp3', { volume: 50, durationMs: 10_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    playback.stop();
    playback.stop();
    expect(await playback.done).toEqual({ kind: 'interrupted', playedMs: 3_000 });
  });

  it('a stream with no duration runs until stopped; with one it completes', async () => {
    const player = new ClockPlayer();
    const open = player.playStream('http://radio/live', { volume: 60 });
    const timed = player.playStream('http://radio/live', { volume: 60, durationMs: 2_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await timed.done).toEqual({ kind: 'completed', playedMs: 2_000 });
    expect(player.playing).toHaveLength(1);
    open.stop();
    expect(await open.done).toEqual({ kind: 'interrupted', playedMs: 60_000 });
  });

  it('injected failures: a missing file, the next playback, a dead device', async () => {
    const player = new ClockPlayer();
    player.failSource('/gone.mp3');
    expect(await player.playFile('/gone.mp3', { volume: 50, durationMs: 1_000 }).done).toEqual({
      kind: 'failed',
      playedMs: 0,
      reason: 'file missing',
    });
    player.failNext('decode error');
    expect(await player.playFile('/b.mp3', { volume: 50, durationMs: 1_000 }).done).toMatchObject({
      reason: 'decode error',
    });
    const ok = player.playFile('/b.mp3', { volume: 50, durationMs: 1_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await ok.done).kind).toBe('completed');
    player.failDevice();
    expect(await player.playStream('http://x/', { volume: 1 }).done).toMatchObject({
      reason: 'no audio device',
    });
    player.clearFailures();
    const again = player.playFile('/gone.mp3', { volume: 50, durationMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    expect((await again.done).kind).toBe('completed');
  });

  it('setVolume applies to what is playing; close interrupts and refuses more', async () => {
    const player = new ClockPlayer();
    const playback = player.playFile('/a.mp3', { volume: 80, durationMs: 10_000 });
    await player.setVolume(30);
    expect(player.volume).toBe(30);
    expect(player.playing[0]?.volume).toBe(30);
    await player.close();
    expect((await playback.done).kind).toBe('interrupted');
    expect(await player.playFile('/a.mp3', { volume: 1, durationMs: 5 }).done).toMatchObject({
      reason: 'player closed',
    });
  });

  it('speed compresses time and records are bounded', async () => {
    const ends: string[] = [];
    const player = new ClockPlayer({
      speed: 10,
      maxRecords: 3,
      onRecord: (r, phase) => {
        if (phase === 'end') ends.push(r.source);
      },
    });
    const playback = player.playFile('/long.mp3', { volume: 50, durationMs: 30_000 });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await playback.done).toEqual({ kind: 'completed', playedMs: 30_000 });
    for (let i = 0; i < 5; i++) player.playFile(`/f${i}.mp3`, { volume: 1, durationMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    expect(player.records.map((r) => r.source)).toEqual(['/f2.mp3', '/f3.mp3', '/f4.mp3']);
    expect(ends).toHaveLength(6);
  });

  it('thousands of players in one process stay cheap', async () => {
    vi.useRealTimers();
    const started = Date.now();
    const players = Array.from({ length: 5_000 }, (_, i) => new ClockPlayer({ name: `c${i}` }));
    const playbacks = players.map((p) => p.playFile('/x.mp3', { volume: 50, durationMs: 200 }));
    const outcomes = await Promise.all(playbacks.map((p) => p.done));
    expect(outcomes.every((o) => o.kind === 'completed')).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('clock player live streams', () => {
  it('simulates a broken source: faults reported, fallback played, recovered', async () => {
    vi.useFakeTimers();
    try {
      const player = new ClockPlayer();
      const faults: string[] = [];
      const stream = player.playStream('http://radio/live', {
        volume: 60,
        fallback: { file: '/cache/fallback.mp3', durationMs: 30_000 },
        onFault: (f) => faults.push(f.kind),
      });
      player.breakStream('http://radio/live', 'dead');
      expect(faults).toEqual(['dead', 'fallback']);
      expect(player.playing.map((r) => r.source)).toEqual(['http://radio/live', '/cache/fallback.mp3']);
      await vi.advanceTimersByTimeAsync(5_000);
      player.restoreStream('http://radio/live');
      expect(faults).toEqual(['dead', 'fallback', 'recovered']);
      expect(player.playing.map((r) => r.source)).toEqual(['http://radio/live']);
      stream.stop();
      expect((await stream.done).kind).toBe('interrupted');
      expect(player.records.find((r) => r.source === '/cache/fallback.mp3')?.outcome).toEqual({
        kind: 'interrupted',
        playedMs: 5_000,
      });
    } finally {
      vi.useRealTimers();
    }
  });
});
