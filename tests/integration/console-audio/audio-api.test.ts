import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioRecord } from '../../../console/src/audio/index.js';
import { ensurePackage } from '../../harness/index.js';
import { makeSample } from '../../unit/console-audio/samples.js';
import { startConsoleStack } from '../console/fixture.js';
import type { ApiClient, ConsoleStack } from '../console/fixture.js';

const LIMIT = 256 * 1024;
let stack: ConsoleStack;
let operator: ApiClient;
const files: Record<string, Buffer> = {};

interface Result {
  item: AudioRecord;
  created: boolean;
}
interface Problem {
  error: string;
  field?: string;
  message: string;
  uses?: string[];
}

function upload(client: ApiClient, name: string, content: Buffer, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([new Uint8Array(content)]), name);
  return client.fetch('/api/audio', { method: 'POST', body: form });
}

beforeAll(async () => {
  await ensurePackage('espeak-ng', '/usr/bin/espeak-ng');
  stack = await startConsoleStack({ config: { audio: { maxUploadBytes: LIMIT } } });
  operator = await stack.login('operator');
  files.mp3 = await readFile(await makeSample(stack.dir, 'a.mp3', 'mp3', { seconds: 3, sampleRate: 44100 }));
  files.ogg = await readFile(await makeSample(stack.dir, 'a.ogg', 'ogg', { seconds: 3 }));
  files.wav = await readFile(await makeSample(stack.dir, 'a.wav', 'wav', { seconds: 3 }));
  files.big = await readFile(await makeSample(stack.dir, 'big.wav', 'wav', { seconds: 8 }));
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('audio library API', () => {
  let mp3: AudioRecord;

  it('uploads MP3, OGG and WAV: 201 with duration, format and loudness normalised to the target', async () => {
    const uploads = [
      ['mp3', 'Bản tin sáng.mp3'],
      ['ogg', 'nhac-hieu.ogg'],
      ['wav', 'chuong.wav'],
    ] as const;
    const responses = await Promise.all(
      uploads.map(([key, name]) =>
        upload(operator, name, files[key] ?? Buffer.alloc(0), { tags: 'bản tin, sáng' }),
      ),
    );
    for (const [i, [key]] of uploads.entries()) {
      const res = responses[i] ?? new Response(null, { status: 599 });
      const body = (await res.json()) as Result;
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(body.created).toBe(true);
      expect(body.item).toMatchObject({
        format: key,
        language: 'vi',
        tags: ['bản tin', 'sáng'],
        uploadedBy: 'test-operator',
      });
      expect(body.item.loudness).toMatchObject({ status: 'normalised', targetLufs: -16 });
      expect(Math.abs(body.item.durationMs - 3000)).toBeLessThan(100);
      if (key === 'mp3') mp3 = body.item;
    }
    expect(mp3.title).toBe('Bản tin sáng');
    expect(mp3.originalName).toBe('Bản tin sáng.mp3');
    const got = await operator.get<AudioRecord>(`/api/audio/${mp3.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(mp3);
    const list = await operator.get<{ items: AudioRecord[]; total: number }>('/api/audio?q=ban%20tin%20sang');
    expect(list.body.items.map((i) => i.id)).toEqual([mp3.id]);
  }, 60_000);

  it('answers the same content with the existing item (200, created false)', async () => {
    const res = await upload(operator, 'copy.mp3', files.mp3 ?? Buffer.alloc(0), { title: 'Bản sao' });
    expect(res.status).toBe(200);
    expect((await res.json()) as Result).toMatchObject({
      created: false,
      item: { id: mp3.id, title: 'Bản tin sáng' },
    });
  });

  it('refuses an oversized upload with 413 naming the limit, with and without Content-Length', async () => {
    const sized = await upload(operator, 'big.wav', files.big ?? Buffer.alloc(0));
    expect(sized.status).toBe(413);
    expect((await sized.json()) as Problem).toMatchObject({
      error: 'too-large',
      field: 'file',
      message: expect.stringMatching(/256 KB/),
    });

    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(files.big ?? Buffer.alloc(0))]), 'big.wav');
    const encoded = new Request('http://x/', { method: 'POST', body: form });
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 16 * 1024)
          controller.enqueue(bytes.subarray(i, i + 16 * 1024));
        controller.close();
      },
    });
    const res = await operator.fetch('/api/audio', {
      method: 'POST',
      body: streamed,
      headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as Problem).field).toBe('file');
  });

  it('refuses fakes and corrupt files with 422 saying what is wrong', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(2000)]);
    const cases: Array<[string, Buffer, RegExp]> = [
      ['anh.mp3', png, /PNG image, not audio/],
      ['van-ban.mp3', Buffer.from('Đây là văn bản.\n'.repeat(50)), /text, not audio/],
      ['cut.mp3', (files.mp3 ?? Buffer.alloc(0)).subarray(0, 9000), /truncated/],
      ['cut.ogg', (files.ogg ?? Buffer.alloc(0)).subarray(0, 4000), /truncated|ends inside/],
    ];
    for (const [name, content, message] of cases) {
      const res = await upload(operator, name, content);
      const body = (await res.json()) as Problem;
      expect(res.status, name).toBe(422);
      expect(body).toMatchObject({ error: 'invalid-audio', field: 'file' });
      expect(body.message).toMatch(message);
    }
  });

  it('answers bad forms with 400 naming the field, and guards by role', async () => {
    const noFile = new FormData();
    noFile.set('title', 'Không có tệp');
    const res = await operator.fetch('/api/audio', { method: 'POST', body: noFile });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Problem).field).toBe('file');
    const badLanguage = await upload(operator, 'x.wav', files.wav ?? Buffer.alloc(0), {
      language: 'Tiếng Việt',
    });
    expect(badLanguage.status).toBe(400);
    expect(((await badLanguage.json()) as Problem).field).toBe('language');
    const json = await operator.post('/api/audio', { title: 'x' });
    expect(json.status).toBe(415);

    const technician = await stack.login('technician');
    expect((await upload(technician, 'x.wav', files.wav ?? Buffer.alloc(0))).status).toBe(403);
    expect((await technician.get('/api/audio')).status).toBe(403);
    expect((await stack.client().get('/api/audio')).status).toBe(401);
    const approver = await stack.login('approver');
    expect((await approver.get('/api/audio')).status).toBe(200);
  });

  it('speaks Vietnamese text into a playable item that keeps the text', async () => {
    const text = 'Loa phát thanh xã Tân Biên: sáng mai cúp điện từ 7 giờ đến 11 giờ.';
    const res = await operator.post<Result>('/api/audio/tts', { text, tags: ['điện'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.item).toMatchObject({
      source: 'tts',
      format: 'wav',
      speech: { text, engine: 'espeak-ng:vi' },
    });
    expect(res.body.item.durationMs).toBeGreaterThan(2000);
    const content = await operator.fetch(`/api/audio/${res.body.item.id}/content`);
    const bytes = Buffer.from(await content.arrayBuffer());
    expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(res.body.item.id);

    const empty = await operator.post<Problem>('/api/audio/tts', { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.field).toBe('text');
  }, 60_000);

  it('updates metadata, serves ranges for the preview, and records each action in the audit log', async () => {
    const patched = await operator.patch<AudioRecord>(`/api/audio/${mp3.id}`, {
      title: 'Bản tin 6 giờ',
      tags: ['sáng'],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Bản tin 6 giờ', tags: ['sáng'] });
    const empty = await operator.patch<Problem>(`/api/audio/${mp3.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.field).toBe('title');
    const badId = await operator.get<Problem>('/api/audio/not-a-hash');
    expect(badId.status).toBe(400);
    expect(badId.body.field).toBe('id');

    const part = await operator.fetch(`/api/audio/${mp3.id}/content`, { headers: { range: 'bytes=10-109' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-109/${mp3.bytes}`);
    expect(part.headers.get('content-type')).toBe('audio/mpeg');
    const whole = Buffer.from(await (await operator.fetch(`/api/audio/${mp3.id}/content`)).arrayBuffer());
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10, 110))).toBe(true);

    const admin = await stack.login('admin');
    const audit = await admin.get<{ entries: Array<{ action: string; actor: string; target: string }> }>(
      '/api/audit?action=audio.',
    );
    const actions = audit.body.entries.map((e) => `${e.action}:${e.actor}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'audio.upload:test-operator',
        'audio.tts:test-operator',
        'audio.update:test-operator',
      ]),
    );
  });

  it('documents every audio route, the multipart upload and the gateway download in the OpenAPI document', async () => {
    const doc = await stack
      .client()
      .get<{ paths: Record<string, Record<string, { requestBody?: { content: object } }>> }>(
        '/api/openapi.json',
      );
    expect(doc.status).toBe(200);
    const { paths } = doc.body;
    expect(Object.keys(paths['/api/audio'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/audio/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(paths['/api/audio/tts'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/audio/{id}/content'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/media/{sha256}'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/api/audio']?.post?.requestBody?.content ?? {})).toEqual([
      'multipart/form-data',
    ]);
  });

  it('refuses to delete an item in use (409 listing the uses), then deletes it', async () => {
    const inUse = new Set([mp3.id]);
    stack.ctx.audio.addReferenceCheck?.((id) =>
      inUse.has(id) ? ['lịch "Bản tin sáng" của xã Tân Biên'] : [],
    );
    const refused = await operator.delete<Problem>(`/api/audio/${mp3.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'in-use',
      field: 'id',
      uses: ['lịch "Bản tin sáng" của xã Tân Biên'],
    });
    inUse.clear();
    expect((await operator.delete(`/api/audio/${mp3.id}`)).status).toBe(204);
    expect((await operator.get(`/api/audio/${mp3.id}`)).status).toBe(404);
    expect((await operator.delete(`/api/audio/${mp3.id}`)).status).toBe(404);
  });
});
