import { copyFile, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openDatabase } from '@xaso/broker';
import type { SqliteDatabase } from '@xaso/broker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile } from '../../../console/src/audio/blob-store.js';
import { parseFrameHeader } from '../../../console/src/audio/formats/mp3-frame.js';
import {
  AudioInUse,
  AudioLibrary,
  AudioRejected,
  inspectAudioFile,
} from '../../../console/src/audio/index.js';
import { tempDir } from '../../harness/index.js';
import { makeSample, measureLufs, probeSeconds } from './samples.js';

const log = pino({ level: 'silent' });
let dir: string;
let db: SqliteDatabase;
let library: AudioLibrary;
const samples: Record<string, string> = {};

/** Uploads hand the library a finished temp file in its store, as the HTTP route does. */
async function receive(lib: AudioLibrary, source: string) {
  const incoming = await lib.createIncoming();
  await incoming.write(await readFile(source));
  return incoming.finish();
}

beforeAll(async () => {
  dir = await tempDir('xaso-audio-library');
  db = openDatabase(join(dir, 'registry.sqlite'));
  library = await AudioLibrary.open({ db, dataDir: dir, log });
  samples.mp3 = await makeSample(dir, 'quiet.mp3', 'mp3', { seconds: 3, sampleRate: 44100 });
  samples.wav = await makeSample(dir, 'quiet.wav', 'wav', { seconds: 3 });
  samples.ogg = await makeSample(dir, 'quiet.ogg', 'ogg', { seconds: 3 });
  samples.loud = await makeSample(dir, 'loud.wav', 'wav', { seconds: 3, gain: 6 });
}, 120_000);

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

const meta = (title: string, tags: string[] = []) => ({
  title,
  language: 'vi',
  tags,
  uploadedBy: 'op-xuan-hoa',
  source: 'upload' as const,
});

describe('audio library with ffmpeg', () => {
  it.each(['mp3', 'wav', 'ogg'])(
    'stores a quiet %s normalised to -16 LUFS ±1 LU in the same format, content-addressed',
    async (key) => {
      const source = samples[key] ?? '';
      const { item, created } = await library.ingest(await receive(library, source), meta(`Thử ${key}`));
      expect(created).toBe(true);
      expect(item.format).toBe(key);
      expect(item.loudness.status).toBe('normalised');
      expect(item.loudness.beforeLufs).toBeLessThan(-25);
      expect(item.loudness.targetLufs).toBe(-16);
      const stored = join(dir, 'audio', item.id);
      expect(await hashFile(stored)).toEqual({ sha256: item.id, bytes: item.bytes });
      expect(Math.abs((await measureLufs(stored)) + 16)).toBeLessThanOrEqual(1);
      expect(Math.abs(item.durationMs - 3000)).toBeLessThan(100);
      expect(Math.abs((await probeSeconds(stored)) * 1000 - item.durationMs)).toBeLessThan(60);
      expect(item.originalSha256).toBe((await hashFile(source)).sha256);
      expect(item.path).toBe(`/media/${item.id}`);
      expect(library.get(item.id)).toEqual({
        id: item.id,
        title: `Thử ${key}`,
        language: 'vi',
        durationMs: item.durationMs,
        path: `/media/${item.id}`,
        bytes: item.bytes,
      });
    },
    60_000,
  );

  it('brings a loud file down to the target too', async () => {
    const { item } = await library.ingest(await receive(library, samples.loud ?? ''), meta('Loud'));
    expect(item.loudness.beforeLufs).toBeGreaterThan(-10);
    expect(Math.abs((await measureLufs(join(dir, 'audio', item.id))) + 16)).toBeLessThanOrEqual(1);
  }, 60_000);

  it('returns the existing item for the same content and leaves no temp files behind', async () => {
    const first = await library.ingest(await receive(library, samples.wav ?? ''), meta('Again'));
    expect(first.created).toBe(false);
    expect(first.item.title).toBe('Thử wav');
    expect(await readdir(join(dir, 'audio', 'incoming'))).toEqual([]);
    expect(library.list({ limit: 50, offset: 0 }).total).toBe(4);
  });

  it('refuses a file whose frame headers are intact but whose audio does not decode, and deletes it', async () => {
    const broken = join(dir, 'broken.mp3');
    const data = Buffer.from(await readFile(samples.mp3 ?? ''));
    let offset = data.indexOf(Buffer.from([0xff, 0xfb]));
    let seed = 7;
    for (let frame = 0; offset + 4 <= data.length; frame++) {
      const header = parseFrameHeader(data.subarray(offset, offset + 4));
      if (header === null) break;
      // Scramble everything after the header of each frame but the first few.
      if (frame >= 3) {
        for (let i = offset + 4; i < Math.min(data.length, offset + header.bytes); i++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          data[i] = seed >>> 24;
        }
      }
      offset += header.bytes;
    }
    await writeFile(broken, data);
    expect((await inspectAudioFile(broken)).format).toBe('mp3');
    const err = await library.ingest(await receive(library, broken), meta('Broken')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AudioRejected);
    expect(String(err)).toMatch(/does not decode/);
    expect(await readdir(join(dir, 'audio', 'incoming'))).toEqual([]);
  }, 60_000);

  it('searches title and tags without diacritics, by tag and by language', async () => {
    const [item] = library.list({ limit: 1, offset: 0 }).items;
    library.update(item?.id ?? '', { title: 'Thông báo phòng chống bão số 3', tags: ['thời tiết', 'khẩn'] });
    expect(library.list({ q: 'phong chong bao', limit: 10, offset: 0 }).items.map((i) => i.id)).toEqual([
      item?.id,
    ]);
    expect(library.list({ q: 'THỜI TIẾT', limit: 10, offset: 0 }).total).toBe(1);
    expect(library.list({ tag: 'khẩn', limit: 10, offset: 0 }).total).toBe(1);
    expect(library.list({ language: 'en', limit: 10, offset: 0 }).total).toBe(0);
    expect(library.list({ q: '100%_', limit: 10, offset: 0 }).total).toBe(0);
  });

  it('refuses to delete an item a reference check names, then deletes it and its file', async () => {
    const [item] = library.list({ limit: 1, offset: 0 }).items;
    const id = item?.id ?? '';
    const used = new Set([id]);
    library.addReferenceCheck((audioId) => (used.has(audioId) ? ['lịch "Bản tin sáng"'] : []));
    await expect(library.delete(id)).rejects.toBeInstanceOf(AudioInUse);
    used.clear();
    expect(await library.delete(id)).toBe(true);
    expect(library.get(id)).toBeUndefined();
    expect((await readdir(join(dir, 'audio'))).includes(id)).toBe(false);
    expect(await library.delete(id)).toBe(false);
  });
});

describe('audio library without ffmpeg', () => {
  it('keeps the upload as is, says it is not normalised, and still refuses fakes', async () => {
    const plainDir = await tempDir('xaso-audio-noffmpeg');
    const plainDb = openDatabase(join(plainDir, 'registry.sqlite'));
    try {
      const plain = await AudioLibrary.open({
        db: plainDb,
        dataDir: plainDir,
        log,
        config: { ffmpegPath: join(plainDir, 'no-ffmpeg-here') },
      });
      expect(plain.tools).toBeNull();
      const copy = join(plainDir, 'a.ogg');
      await copyFile(samples.ogg ?? '', copy);
      const { item } = await plain.ingest(await receive(plain, copy), meta('Không chuẩn hoá'));
      expect(item.loudness).toMatchObject({ status: 'not-normalised', afterLufs: null });
      expect(item.loudness.note).toMatch(/ffmpeg is not installed/);
      expect(item.id).toBe(item.originalSha256);
      expect(Math.abs(item.durationMs - 3000)).toBeLessThan(60);
      const fake = join(plainDir, 'fake.mp3');
      await writeFile(fake, 'not audio at all\n');
      await expect(plain.ingest(await receive(plain, fake), meta('Fake'))).rejects.toThrow(/text, not audio/);
    } finally {
      plainDb.close();
      await rm(plainDir, { recursive: true, force: true });
    }
  });
});
