import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '@xaso/broker';
import type { SqliteDatabase } from '@xaso/broker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EspeakConfigSchema } from '../../../console/src/audio/config.js';
import {
  AudioLibrary,
  EspeakEngine,
  HttpSpeechConfigSchema,
  HttpSpeechEngine,
  SpeechFailed,
} from '../../../console/src/audio/index.js';
import { fillTemplate } from '../../../console/src/audio/speech/index.js';
import { ensurePackage, tempDir } from '../../harness/index.js';
import { makeSample, probeSeconds } from './samples.js';

const log = pino({ level: 'silent' });
const run = promisify(execFile);
const ANNOUNCEMENT =
  'Thông báo khẩn: bão số 3 sẽ đổ bộ vào đêm nay. Bà con xã Phước Vĩnh Đông cần chằng chống nhà cửa, ' +
  'không ra khơi, di dời người già và trẻ em đến nơi an toàn.';
let dir: string;
let db: SqliteDatabase;
let wav: Buffer;

beforeAll(async () => {
  await ensurePackage('espeak-ng', '/usr/bin/espeak-ng');
  dir = await tempDir('xaso-audio-speech');
  db = openDatabase(join(dir, 'registry.sqlite'));
  wav = await readFile(await makeSample(dir, 'service.wav', 'wav', { seconds: 3 }));
}, 120_000);

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('espeak-ng (offline default)', () => {
  it('turns Vietnamese text into a playable, normalised WAV item that keeps the text exactly', async () => {
    const library = await AudioLibrary.open({ db, dataDir: join(dir, 'espeak'), log });
    const { item, created } = await library.speak({ text: ANNOUNCEMENT, actor: 'op-phuoc-vinh-dong' });
    expect(created).toBe(true);
    expect(item.source).toBe('tts');
    expect(item.format).toBe('wav');
    expect(item.speech).toEqual({ text: ANNOUNCEMENT, engine: 'espeak-ng:vi' });
    expect(item.title.startsWith('Thông báo khẩn: bão số 3')).toBe(true);
    expect(item.language).toBe('vi');
    expect(item.loudness.status).toBe('normalised');
    // ~30 words at 150 wpm: well over 5 s; the stored file agrees with the recorded duration.
    expect(item.durationMs).toBeGreaterThan(5000);
    const seconds = await probeSeconds(join(dir, 'espeak', 'audio', item.id));
    expect(Math.abs(seconds * 1000 - item.durationMs)).toBeLessThan(60);
    expect(library.list({ q: 'phuoc vinh dong', limit: 5, offset: 0 }).total).toBe(1);
    const again = await library.speak({ text: ANNOUNCEMENT, actor: 'someone-else' });
    expect(again).toMatchObject({ created: false, item: { id: item.id } });
  }, 60_000);

  it('hands espeak-ng the tones: the engine matches espeak-ng given the UTF-8 text directly', async () => {
    const espeak = await ensurePackage('espeak-ng', '/usr/bin/espeak-ng');
    const engine = new EspeakEngine(EspeakConfigSchema.parse({ kind: 'espeak-ng' }));
    const direct = join(dir, 'direct.wav');
    await run(espeak, ['-v', 'vi', '-s', '150', '-w', direct, 'Mà má mả mã mạ đường']);
    await engine.synthesize({ text: 'Mà má mả mã mạ đường', language: 'vi' }, join(dir, 'engine.wav'));
    await engine.synthesize({ text: 'Ma ma ma ma ma duong', language: 'vi' }, join(dir, 'flat.wav'));
    const viaEngine = await readFile(join(dir, 'engine.wav'));
    expect(viaEngine.equals(await readFile(direct))).toBe(true);
    expect(viaEngine.equals(await readFile(join(dir, 'flat.wav')))).toBe(false);
  }, 30_000);

  it('reports a missing espeak-ng binary clearly', async () => {
    const library = await AudioLibrary.open({
      db,
      dataDir: join(dir, 'missing'),
      log,
      config: { speech: { kind: 'espeak-ng', binary: join(dir, 'no-espeak') } },
    });
    await expect(library.speak({ text: 'Xin chào', actor: 'a' })).rejects.toThrow(
      /espeak-ng is not installed/,
    );
  });
});

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function startService(
  handler: (seen: Seen) => { status: number; type: string; body: Buffer | string },
): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    seen.push(request);
    const answer = handler(request);
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('HTTP speech engine', () => {
  it('sends the filled JSON template with the auth header and stores the returned audio', async () => {
    const service = await startService(() => ({ status: 200, type: 'audio/wav', body: wav }));
    try {
      const library = await AudioLibrary.open({
        db,
        dataDir: join(dir, 'http'),
        log,
        config: {
          speech: {
            kind: 'http',
            url: `${service.url}/v1/tts`,
            auth: { header: 'api-key', value: 'secret-key-123' },
            template: '{"input":"{{text}}","voice":"{{voice}}","lang":"{{language}}"}',
            voices: { vi: 'banmai' },
          },
        },
      });
      const text = 'Lịch tiêm chủng: "sáng thứ Hai" tại trạm y tế\nxã Đông Hòa.';
      const { item } = await library.speak({ text, actor: 'op', title: 'Tiêm chủng', tags: ['y tế'] });
      const [request] = service.seen;
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe('/v1/tts');
      expect(request?.headers['api-key']).toBe('secret-key-123');
      expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(request?.body ?? '')).toEqual({ input: text, voice: 'banmai', lang: 'vi' });
      expect(item).toMatchObject({ title: 'Tiêm chủng', tags: ['y tế'], format: 'wav', source: 'tts' });
      expect(item.speech?.engine).toMatch(/^http:127\.0\.0\.1:\d+:banmai$/);
      expect(Math.abs(item.durationMs - 3000)).toBeLessThan(60);
    } finally {
      service.server.close();
    }
  }, 60_000);

  it('fetches the audio from the URL an asynchronous service answers with, waiting until it exists', async () => {
    let polls = 0;
    const service = await startService((seen) => {
      if (seen.url.startsWith('/files/')) {
        polls++;
        return polls < 2
          ? { status: 404, type: 'text/plain', body: 'not yet' }
          : { status: 200, type: 'audio/wav', body: wav };
      }
      return {
        status: 200,
        type: 'application/json',
        body: JSON.stringify({ error: 0, async: `${serviceUrl}/files/1.wav` }),
      };
    });
    const serviceUrl = service.url;
    try {
      const config = HttpSpeechConfigSchema.parse({
        kind: 'http',
        url: `${service.url}/tts`,
        method: 'GET',
        template: 'text={{text}}&voice={{voice}}',
        response: { kind: 'json-url', field: 'async' },
      });
      const engine = new HttpSpeechEngine(config);
      const out = join(dir, 'async.wav');
      await engine.synthesize({ text: 'Mưa lớn & gió mạnh', language: 'vi', voice: 'leminh' }, out);
      expect((await readFile(out)).equals(wav)).toBe(true);
      expect(new URL(service.seen[0]?.url ?? '', service.url).searchParams.get('text')).toBe(
        'Mưa lớn & gió mạnh',
      );
      expect(polls).toBe(2);
    } finally {
      service.server.close();
    }
  }, 30_000);

  it('turns a service error into SpeechFailed with the status', async () => {
    const service = await startService(() => ({ status: 401, type: 'text/plain', body: 'invalid api key' }));
    try {
      const engine = new HttpSpeechEngine(HttpSpeechConfigSchema.parse({ kind: 'http', url: service.url }));
      const err = await engine
        .synthesize({ text: 'x', language: 'vi' }, join(dir, 'x.wav'))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SpeechFailed);
      expect(String(err)).toMatch(/answered 401: invalid api key/);
    } finally {
      service.server.close();
    }
  });

  it('escapes placeholders for JSON, forms and plain text', () => {
    const values = { text: 'a "b"\nđ&c', language: 'vi', voice: '' };
    expect(JSON.parse(fillTemplate('{"t":"{{text}}"}', values, 'json'))).toEqual({ t: 'a "b"\nđ&c' });
    expect(fillTemplate('t={{text}}', values, 'form')).toBe('t=a%20%22b%22%0A%C4%91%26c');
    expect(fillTemplate('{{text}}', values, 'plain')).toBe('a "b"\nđ&c');
  });
});
