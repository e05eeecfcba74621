import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioRecord } from '../../../console/src/audio/index.js';
import { makeSample } from '../../unit/console-audio/samples.js';
import { startConsoleStack } from '../console/fixture.js';
import type { Cluster, ConsoleStack } from '../console/fixture.js';

let stack: ConsoleStack;
let cluster: Cluster;
let item: AudioRecord;
let content: Buffer;

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function download(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return fetch(`${stack.url}${path}`, { method, headers });
}

beforeAll(async () => {
  // Normalisation is covered elsewhere; here it would only slow the setup down.
  stack = await startConsoleStack({ config: { audio: { loudness: { enabled: false } } } });
  cluster = await stack.createCluster('loa-tan-bien-01', 'xa-tan-bien');
  const operator = await stack.login('operator');
  const form = new FormData();
  form.set(
    'file',
    new Blob([await readFile(await makeSample(stack.dir, 'a.mp3', 'mp3', { seconds: 3 }))]),
    'a.mp3',
  );
  const res = await operator.fetch('/api/audio', { method: 'POST', body: form });
  item = ((await res.json()) as { item: AudioRecord }).item;
  const stored = stack.ctx.audio.get(item.id);
  if (stored === undefined) throw new Error('uploaded item missing from the catalog');
  content = Buffer.from(await (await operator.fetch(`/api/audio/${item.id}/content`)).arrayBuffer());
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('gateway media downloads', () => {
  it('serves the item at AudioItem.path to its device credentials, with ETag = SHA-256', async () => {
    const path = stack.ctx.audio.get(item.id)?.path ?? '';
    expect(path).toBe(`/media/${item.id}`);
    const res = await download(path, { authorization: basic(cluster.username, cluster.password) });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${item.id}"`);
    expect(res.headers.get('content-type')).toBe('audio/mpeg');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.id);
    expect(bytes.equals(content)).toBe(true);
  });

  it('resumes with Range, answers HEAD and If-None-Match, and refuses ranges past the end', async () => {
    const auth = { authorization: basic(cluster.username, cluster.password) };
    const tail = await download(item.path, { ...auth, range: 'bytes=1000-' });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes 1000-${item.bytes - 1}/${item.bytes}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(content.subarray(1000))).toBe(true);
    const head = await download(item.path, auth, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(item.bytes));
    const cached = await download(item.path, { ...auth, 'if-none-match': `"${item.id}"` });
    expect(cached.status).toBe(304);
    const past = await download(item.path, { ...auth, range: `bytes=${item.bytes}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${item.bytes}`);
  });

  it('refuses missing, wrong and disabled credentials with 401 and other principals with 403', async () => {
    const none = await download(item.path);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect(
      (await download(item.path, { authorization: basic(cluster.username, 'wrong-password') })).status,
    ).toBe(401);
    expect((await download(item.path, { authorization: basic('no-such-device', 'x') })).status).toBe(401);
    expect((await download(item.path, { authorization: 'Bearer abc' })).status).toBe(401);

    stack.registry.createDevice({ id: 'tram-khong-khi-01', role: 'sensor-gateway' });
    const sensor = stack.registry.rotateSecret('tram-khong-khi-01');
    expect(
      (await download(item.path, { authorization: basic('tram-khong-khi-01', sensor.password) })).status,
    ).toBe(403);

    stack.registry.setDisabled(cluster.id, true);
    const disabled = await download(item.path, { authorization: basic(cluster.username, cluster.password) });
    expect(disabled.status).toBe(401);
    stack.registry.setDisabled(cluster.id, false);
    expect(
      (await download(item.path, { authorization: basic(cluster.username, cluster.password) })).status,
    ).toBe(200);
  });

  it('answers 404 for unknown audio and 400 for a malformed hash', async () => {
    const auth = { authorization: basic(cluster.username, cluster.password) };
    const unknown = await download(`/media/${'0'.repeat(64)}`, auth);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { field: string }).field).toBe('sha256');
    const malformed = await download('/media/abc', auth);
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { field: string }).field).toBe('sha256');
  });
});
