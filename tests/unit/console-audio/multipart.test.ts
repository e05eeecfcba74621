import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioBlobStore } from '../../../console/src/audio/blob-store.js';
import { MultipartError, boundaryOf, receiveMultipart } from '../../../console/src/audio/multipart.js';
import { tempDir } from '../../harness/index.js';

let dir: string;
let store: AudioBlobStore;

beforeAll(async () => {
  dir = await tempDir('xaso-audio-multipart');
  store = new AudioBlobStore(dir);
  await store.init();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A real multipart body as the platform's FormData encodes it, re-chunked into small random pieces. */
async function encode(
  form: FormData,
  chunk: number,
): Promise<{ stream: ReadableStream<Uint8Array>; boundary: string }> {
  const request = new Request('http://x/', { method: 'POST', body: form });
  const boundary = boundaryOf(request.headers.get('content-type') ?? undefined);
  if (boundary === null) throw new Error('no boundary');
  const bytes = Buffer.from(await request.arrayBuffer());
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.subarray(i, i + chunk));
      controller.close();
    },
  });
  return { stream, boundary };
}

const limits = { maxFileBytes: 100_000, maxFieldBytes: 1000, maxFields: 5 };

describe('streaming multipart', () => {
  it.each([3, 7, 64, 100_000])('receives fields and the file intact in %i-byte chunks', async (chunk) => {
    const content = Buffer.alloc(20_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) % 256;
    // A boundary-like sequence inside the file must not cut it.
    Buffer.from('\r\n--not-the-boundary\r\n').copy(content, 5000);
    const form = new FormData();
    form.set('title', 'Bản tin thời tiết — Đồng Tháp');
    form.set('file', new Blob([content]), 'thông báo.mp3');
    form.set('tags', 'thời tiết, bão');
    const { stream, boundary } = await encode(form, chunk);
    const got = await receiveMultipart(stream, boundary, limits, () => store.createIncoming());
    expect(got.fields.get('title')).toBe('Bản tin thời tiết — Đồng Tháp');
    expect(got.fields.get('tags')).toBe('thời tiết, bão');
    expect(got.file?.filename).toBe('thông báo.mp3');
    expect(got.file?.received.bytes).toBe(content.length);
    expect((await readFile(got.file?.received.path ?? '')).equals(content)).toBe(true);
  });

  it('stops with 413 naming the field once the file passes the limit', async () => {
    const form = new FormData();
    form.set('file', new Blob([Buffer.alloc(150_000)]), 'big.wav');
    const { stream, boundary } = await encode(form, 8192);
    const err = await receiveMultipart(stream, boundary, limits, () => store.createIncoming()).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(MultipartError);
    expect(err).toMatchObject({ status: 413, field: 'file' });
  });

  it('refuses a body cut off before its closing boundary', async () => {
    const form = new FormData();
    form.set('file', new Blob([Buffer.alloc(1000, 1)]), 'a.wav');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const boundary = boundaryOf(request.headers.get('content-type') ?? undefined) ?? '';
    const bytes = Buffer.from(await request.arrayBuffer());
    const cut = new Blob([bytes.subarray(0, bytes.length - 100)]).stream();
    const err = await receiveMultipart(cut, boundary, limits, () => store.createIncoming()).catch((e) => e);
    expect(err).toMatchObject({ status: 400, field: 'body' });
    expect(String(err.message)).toMatch(/ended before its closing boundary/);
  });

  it('reads the boundary from the content type, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc123')).toBe('abc123');
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/json')).toBeNull();
  });
});
