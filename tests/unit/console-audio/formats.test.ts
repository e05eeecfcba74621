import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../../console/src/audio/formats/byte-source.js';
import { AudioRejected, inspectAudio, inspectAudioFile } from '../../../console/src/audio/index.js';
import { tempDir } from '../../harness/index.js';
import { makeSample } from './samples.js';

let dir: string;
const files: Record<string, string> = {};

beforeAll(async () => {
  dir = await tempDir('xaso-audio-formats');
  files.wav = await makeSample(dir, 'a.wav', 'wav', { seconds: 3.5 });
  files.mp3 = await makeSample(dir, 'a.mp3', 'mp3', { seconds: 3.5, sampleRate: 44100 });
  files.ogg = await makeSample(dir, 'a.ogg', 'ogg', { seconds: 3.5 });
  files.opus = await makeSample(dir, 'a.opus', 'opus', { seconds: 3.5 });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(bytes: Buffer): Promise<AudioRejected> {
  const err = await inspectAudio(bufferSource(bytes)).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AudioRejected)) throw new Error(`expected AudioRejected, got ${String(err)}`);
  return err;
}

describe('audio parsers (no ffmpeg involved in parsing)', () => {
  it.each([
    ['wav', 'wav', 'pcm_s16le', 22050],
    ['mp3', 'mp3', 'mp3', 44100],
    ['ogg', 'ogg', 'vorbis', 22050],
    ['opus', 'ogg', 'opus', 24000],
  ])('reads %s format, codec, rate and a duration within 60 ms', async (key, format, codec, rate) => {
    const facts = await inspectAudioFile(files[key] ?? '');
    expect(facts.format).toBe(format);
    expect(facts.codec).toBe(codec);
    expect(facts.sampleRate).toBe(rate);
    expect(facts.channels).toBe(1);
    expect(Math.abs(facts.durationMs - 3500)).toBeLessThan(60);
  });

  it('refuses a PNG renamed .mp3 and a text file, naming what they are', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(100)]);
    expect((await rejection(png)).message).toMatch(/PNG image, not audio/);
    const text = Buffer.from('Thông báo: đây là văn bản, không phải âm thanh.\n', 'utf8');
    const err = await rejection(text);
    expect(err.reason).toBe('not-audio');
    expect(err.message).toMatch(/text, not audio/);
  });

  it('refuses truncated WAV, MP3 and OGG files as truncated', async () => {
    for (const key of ['wav', 'mp3', 'ogg'] as const) {
      const whole = await readFile(files[key] ?? '');
      const err = await rejection(whole.subarray(0, Math.floor(whole.length * 0.6)));
      expect(err.reason, key).toBe('truncated');
      expect(err.message).toMatch(/truncated/);
    }
  });

  it('refuses an MP3 cut exactly at a frame boundary by the frame count of its Info tag', async () => {
    const whole = await readFile(files.mp3 ?? '');
    // Walk to the start of the 20th frame after the tag frame: 64 kbit/s at 44.1 kHz is 208/209 bytes.
    let offset = whole.indexOf(Buffer.from([0xff, 0xfb]));
    for (let i = 0; i < 21; i++) {
      const padding = ((whole[offset + 2] ?? 0) >> 1) & 1;
      offset += 208 + padding;
    }
    const err = await rejection(whole.subarray(0, offset));
    expect(err.message).toMatch(/announces \d+ frames but only 20/);
  });

  it('refuses an MP3 with garbage in the middle and an OGG with a flipped byte', async () => {
    const mp3 = Buffer.from(await readFile(files.mp3 ?? ''));
    mp3.fill(0x41, Math.floor(mp3.length / 2), Math.floor(mp3.length / 2) + 600);
    expect((await rejection(mp3)).message).toMatch(/lost frame sync/);
    const ogg = Buffer.from(await readFile(files.ogg ?? ''));
    const at = Math.floor(ogg.length / 2);
    ogg[at] = (ogg[at] ?? 0) ^ 0xff;
    expect((await rejection(ogg)).message).toMatch(/checksum mismatch|no page header/);
  });

  it('refuses a WAV whose fmt chunk is inconsistent and an empty file', async () => {
    const wav = Buffer.from(await readFile(files.wav ?? ''));
    wav.writeUInt32LE(12345, 28);
    expect((await rejection(wav)).message).toMatch(/inconsistent fmt chunk/);
    expect((await rejection(Buffer.alloc(0))).reason).toBe('empty');
  });

  it('accepts a WAV written to a pipe (data size unknown) and measures it from the file length', async () => {
    const wav = Buffer.from(await readFile(files.wav ?? ''));
    wav.writeUInt32LE(0xffffffff, wav.indexOf('data', 12, 'latin1') + 4);
    const path = join(dir, 'piped.wav');
    await writeFile(path, wav);
    const facts = await inspectAudioFile(path);
    expect(Math.abs(facts.durationMs - 3500)).toBeLessThan(10);
  });
});
