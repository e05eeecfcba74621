import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSample } from '../../unit/console-audio/samples.js';
import { type ApiClient, type ConsoleStack, startConsoleStack } from '../console/fixture.js';

const ESCAPE = '/tmp/xs-upload-escape.wav';

async function upload(client: ApiClient, name: string, content: Buffer, title?: string) {
  const form = new FormData();
  if (title !== undefined) form.set('title', title);
  form.set('file', new Blob([new Uint8Array(content)]), name);
  const res = await client.fetch('/api/audio', { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Every file below a directory, relative paths. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('audio uploads are sanitised', () => {
  let stack: ConsoleStack;
  let operator: ApiClient;
  let wav: Buffer;
  beforeAll(async () => {
    rmSync(ESCAPE, { force: true });
    stack = await startConsoleStack();
    operator = await stack.login('operator');
    wav = readFileSync(await makeSample(stack.dir, 'a.wav', 'wav', { seconds: 2 }));
  }, 120_000);
  afterAll(async () => {
    rmSync(ESCAPE, { force: true });
    await stack?.close();
  });

  it('never uses the client file name as a path: content-addressed storage, markup kept as plain text', async () => {
    const title = '<img src=x onerror=alert(1)> Thông báo';
    const res = await upload(operator, `../../../..${ESCAPE}`, wav, title);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const item = (res.body.item ?? res.body) as { id: string; path: string; title: string };
    expect(item.id).toMatch(/^[0-9a-f]{64}$/);
    expect(item.path).toBe(`/media/${item.id}`);
    expect(item.title).toBe(title);
    expect(existsSync(ESCAPE)).toBe(false);
    const stored = filesUnder(join(stack.dir, 'console', 'audio'));
    expect(stored).toContain(item.id);
    expect(stored.filter((f) => f.includes('escape') || f.includes('..'))).toEqual([]);
    // The preview serves the stored audio under its hash, as audio, never as a page.
    const media = await operator.fetch(`/api/audio/${item.id}/content`);
    expect(media.status).toBe(200);
    expect(media.headers.get('content-type')).toMatch(/^audio\//);
    expect(media.headers.get('x-content-type-options')).toBe('nosniff');
    const listed = await operator.fetch('/api/audio');
    expect(listed.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a page or a script dressed up as audio, and keeps nothing of it', async () => {
    const before = filesUnder(join(stack.dir, 'console', 'audio')).length;
    const page = Buffer.from('<!doctype html><script>fetch("/api/users")</script>'.repeat(20));
    const fake = await upload(operator, 'thong-bao.wav', page);
    expect(fake.status).toBe(422);
    expect(fake.body).toMatchObject({ error: 'invalid-audio', field: 'file' });
    const riff = Buffer.concat([wav.subarray(0, 44), page]);
    const polyglot = await upload(operator, 'thong-bao-2.wav', riff);
    expect(polyglot.status).toBe(422);
    expect(filesUnder(join(stack.dir, 'console', 'audio')).length).toBe(before);
  });
});
