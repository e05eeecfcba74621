import { stat } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProcessPlayer } from '../../../gateway-firmware-ts/src/speaker/io/index.js';
import type { StreamFault } from '../../../gateway-firmware-ts/src/speaker/ports.js';
import { sleep } from '../../harness/process.js';
import { RelayFixture, kinds, log, waitFor } from './relay-fixture.js';

const WAV_HEADER = 44;

describe('live relay: connection', () => {
  let fx: RelayFixture;
  beforeAll(async () => {
    fx = await RelayFixture.start();
  });
  afterEach(() => fx.reset());
  afterAll(() => fx.server.close());

  it('relays a stream for its duration into the player; a tone is not taken for silence', async () => {
    // Generous thresholds: on a loaded machine a late timer must not look like a dead or silent stream.
    const settings = { silenceAfterMs: 1_200 };
    const { playback, faults, wav } = fx.relay({ durationMs: 2_500 }, settings);
    const outcome = await playback.done;
    expect(outcome.kind).toBe('completed');
    expect(outcome.playedMs).toBeGreaterThanOrEqual(2_450);
    expect(faults).toEqual([]);
    const seconds = ((await stat(wav)).size - WAV_HEADER) / (44_100 * 2);
    expect(seconds).toBeGreaterThan(1.2);
  });

  it('reconnects by itself after the connection drops, and says so', async () => {
    const { playback, faults } = fx.relay({});
    await sleep(700);
    fx.server.dropAll();
    await waitFor(() => kinds(faults).includes('recovered'), 5_000);
    expect(kinds(faults)).toEqual(['dropped', 'recovered']);
    expect(fx.server.connections).toBe(2);
    playback.stop();
    expect((await playback.done).kind).toBe('interrupted');
  });

  it('spots a dead stream (connected, no bytes) and reconnects', async () => {
    const { playback, faults } = fx.relay({});
    await sleep(700);
    fx.server.stallAll();
    await waitFor(() => kinds(faults).includes('recovered'), 6_000);
    expect(faults[0]).toMatchObject({ kind: 'dead', detail: expect.stringMatching(/no data/) });
    expect(fx.server.connections).toBeGreaterThanOrEqual(2);
    playback.stop();
    await playback.done;
  });

  it('ProcessPlayer.playStream follows a redirect, relays through mpg123 and stops cleanly', async () => {
    const faults: StreamFault[] = [];
    const player = new ProcessPlayer(
      {
        binary: fx.mpg123,
        outputArgs: ['-o', 'test'],
        relay: { meter: [fx.mpg123, '-q', '-m', '-r', '8000', '-s', '-'] },
      },
      log,
    );
    const playback = fx.track(
      player.playStream(fx.server.movedUrl, { volume: 50, onFault: (f) => faults.push(f) }),
    );
    await sleep(1_000);
    await player.close();
    expect((await playback.done).kind).toBe('interrupted');
    expect(fx.server.connections).toBe(1);
    expect(faults).toEqual([]);
  });

  it('fails with the player reason when the sound device is missing', async () => {
    const player = new ProcessPlayer(
      {
        binary: fx.mpg123,
        outputArgs: ['-o', 'alsa', '-a', 'hw:77,0'],
        relay: { meter: [fx.mpg123, '-q', '-s', '-'] },
      },
      log,
    );
    const outcome = await fx.track(player.playStream(fx.server.url, { volume: 50 })).done;
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'no audio device' });
  });
});
