import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RelayFixture, kinds, waitFor } from './relay-fixture.js';

describe('live relay: fallback', () => {
  let fx: RelayFixture;
  beforeAll(async () => {
    fx = await RelayFixture.start();
  });
  afterEach(() => fx.reset());
  afterAll(() => fx.server.close());

  it('plays the fallback while the source is offline, and goes back to the stream when it returns', async () => {
    fx.server.mode = 'refuse';
    const { playback, faults, fallbackPlayer } = fx.relay({ fallback: true });
    await waitFor(() => fallbackPlayer.playing.length === 1, 5_000);
    expect(kinds(faults)).toEqual(['dropped', 'fallback']);
    expect(faults[0]?.detail).toBe('HTTP 503');
    fx.server.mode = 'tone';
    await waitFor(() => kinds(faults).includes('recovered'), 6_000);
    expect(fallbackPlayer.playing).toEqual([]);
    expect(fallbackPlayer.records[0]?.outcome?.kind).toBe('interrupted');
    playback.stop();
    await playback.done;
  });

  it('detects silence by the decoded level and falls back until sound returns', async () => {
    fx.server.mode = 'silence';
    const { playback, faults, fallbackPlayer } = fx.relay({ fallback: true });
    await waitFor(() => kinds(faults).includes('fallback'), 6_000);
    expect(kinds(faults)).toEqual(['silence', 'fallback']);
    expect(fallbackPlayer.playing).toHaveLength(1);
    fx.server.mode = 'tone';
    await waitFor(() => kinds(faults).includes('recovered'), 6_000);
    expect(fallbackPlayer.playing).toEqual([]);
    playback.stop();
    await playback.done;
  });

  it('a fallback that cannot play is reported once, not retried in a loop', async () => {
    fx.server.mode = 'refuse';
    const { playback, faults, fallbackPlayer } = fx.relay({ fallback: true });
    fallbackPlayer.failSource('/cache/fallback.mp3', 'file missing');
    await waitFor(() => faults.length === 3, 5_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(faults.map((f) => f.detail)).toEqual([
      'HTTP 503',
      'playing /cache/fallback.mp3',
      'fallback failed: file missing',
    ]);
    expect(fallbackPlayer.records).toHaveLength(1);
    playback.stop();
    await playback.done;
  });
});
