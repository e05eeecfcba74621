import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { PlaylistItem } from '@xaso/device-profiles/contract';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AudioCacheConfig,
  AudioFetchError,
  HttpAudioCache,
} from '../../../gateway-firmware-ts/src/speaker/io/index.js';
import { tempDir } from '../../harness/index.js';

const log = pino({ level: 'silent' });
const creds = { deviceId: 'gw-loa-01', password: 's3cret' };

/** A console-like audio endpoint: Basic auth, content by path, and knobs for failures and slowness. */
class AudioServer {
  readonly files = new Map<string, Buffer>();
  readonly requests: string[] = [];
  failNext = 0;
  delayMs = 0;
  concurrent = 0;
  maxConcurrent = 0;
  private readonly server = http.createServer((req, res) => void this.serve(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests.push(req.url ?? '');
    const expected = `Basic ${Buffer.from(`${creds.deviceId}:${creds.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return void res.writeHead(401).end();
    this.concurrent += 1;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.concurrent -= 1;
    if (this.failNext > 0) {
      this.failNext -= 1;
      return void res.writeHead(500).end();
    }
    const body = this.files.get(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': body.length }).end(body);
  }
}

function audio(name: string, bytes = 1_000): { item: PlaylistItem; body: Buffer } {
  const body = randomBytes(bytes);
  const audioId = createHash('sha256').update(body).digest('hex');
  return { item: { audioId, path: `api/audio/${name}.mp3`, durationMs: 1_000 }, body };
}

describe('HTTP audio cache', () => {
  const server = new AudioServer();
  let consoleUrl = '';

  beforeAll(async () => {
    consoleUrl = await server.start();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.failNext = 0;
    server.delayMs = 0;
    server.maxConcurrent = 0;
  });

  function publish(name: string, bytes = 1_000): PlaylistItem {
    const { item, body } = audio(name, bytes);
    server.files.set(`/${item.path}`, body);
    return item;
  }

  async function open(
    options: Partial<AudioCacheConfig> = {},
    onError: (item: PlaylistItem, error: AudioFetchError) => void = () => undefined,
  ) {
    const dir = options.dir ?? (await tempDir('xaso-cache-'));
    const config = { dir, consoleUrl, budgetBytes: 10_000, retryBaseMs: 20, ...options };
    return { dir, cache: await HttpAudioCache.open(config, creds, log, onError) };
  }

  it('downloads with the device credentials, verifies, and serves later fetches from disk', async () => {
    const item = publish('bao-bao');
    const { cache, dir } = await open();
    expect(cache.has(item.audioId)).toBe(false);
    const file = await cache.fetch(item);
    expect(file).toBe(join(dir, `${item.audioId}.mp3`));
    expect(
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    ).toBe(item.audioId);
    expect(cache.has(item.audioId)).toBe(true);
    expect(await cache.fetch(item)).toBe(file);
    expect(server.requests).toEqual([`/${item.path}`]);
    const reopened = await HttpAudioCache.open({ dir, consoleUrl, budgetBytes: 10_000 }, creds, log);
    expect(reopened.has(item.audioId)).toBe(true);
    await rm(file);
    expect(await reopened.fetch(item)).toBe(file);
    expect(server.requests).toHaveLength(2);
  });

  it('rejects clearly: not found, wrong credentials, hash mismatch (after retries), nothing left behind', async () => {
    const { cache, dir } = await open({ retries: 1 });
    const missing = audio('missing').item;
    await expect(cache.fetch(missing)).rejects.toMatchObject({ kind: 'not-found' });
    expect(server.requests).toHaveLength(1);

    const item = publish('loa');
    cache.setCredentials({ deviceId: creds.deviceId, password: 'wrong' });
    await expect(cache.fetch(item)).rejects.toMatchObject({ kind: 'unauthorized' });
    cache.setCredentials(creds);

    const forged = { ...item, audioId: 'f'.repeat(64) };
    const error = await cache.fetch(forged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioFetchError);
    expect(error).toMatchObject({ kind: 'hash-mismatch' });
    expect((error as Error).message).toMatch(/hash mismatch/);
    expect(server.requests.filter((r) => r === `/${item.path}`)).toHaveLength(3);
    expect(await readdir(dir)).toEqual([]);
    await expect(cache.fetch({ ...item, audioId: 'nope' })).rejects.toThrow(/invalid playlist item/);
  });

  it('retries transient server errors with back-off', async () => {
    const item = publish('retry');
    const { cache } = await open({ retries: 3 });
    server.failNext = 2;
    await cache.fetch(item);
    expect(server.requests).toHaveLength(3);
  });

  it('evicts the least recently used file to stay within the budget', async () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => publish(`lru-${n}`));
    if (!a || !b || !c || !d) throw new Error('fixtures');
    const { cache } = await open({ budgetBytes: 3_000, keepRecent: 1 });
    const fileB = await cache.fetch(b);
    await cache.fetch(a);
    await cache.fetch(c);
    await new Promise((r) => setTimeout(r, 5));
    await cache.fetch(a);
    await cache.fetch(d);
    expect([a, b, c, d].map((i) => cache.has(i.audioId))).toEqual([true, false, true, true]);
    expect(existsSync(fileB)).toBe(false);
    expect(cache.usedBytes).toBe(3_000);
  });

  it('never evicts what upcoming slots or the current playback need; says the budget is too small', async () => {
    const [x, y, z] = ['x', 'y', 'z'].map((n) => publish(`keep-${n}`));
    if (!x || !y || !z) throw new Error('fixtures');
    const { cache } = await open({ budgetBytes: 2_000, keepRecent: 1 });
    cache.prefetch([x, y]);
    await waitFor(() => cache.has(x.audioId) && cache.has(y.audioId));
    await expect(cache.fetch(z)).rejects.toMatchObject({ kind: 'budget' });
    expect(cache.has(x.audioId) && cache.has(y.audioId)).toBe(true);

    const big = publish('big', 5_000);
    await expect(cache.fetch(big)).rejects.toThrow(/budget too small: item is 5000 bytes/);
  });

  it('prefetches with limited concurrency and reports failures without throwing', async () => {
    const items = [1, 2, 3, 4, 5].map((n) => publish(`pre-${n}`));
    const gone = audio('gone').item;
    const failures: string[] = [];
    const { cache } = await open({ concurrency: 2, retries: 0 }, (item, error) => {
      failures.push(`${item.path}:${error.kind}`);
    });
    server.delayMs = 100;
    cache.prefetch([...items, gone]);
    cache.prefetch([...items, gone]);
    await waitFor(() => items.every((i) => cache.has(i.audioId)) && failures.length === 1);
    expect(server.maxConcurrent).toBe(2);
    expect(server.requests).toHaveLength(6);
    expect(failures).toEqual(['api/audio/gone.mp3:not-found']);
  });

  it('a newer prefetch list drops queued downloads that are no longer needed', async () => {
    const [a1, a2, a3, b1] = ['a1', 'a2', 'a3', 'b1'].map((n) => publish(`stale-${n}`));
    if (!a1 || !a2 || !a3 || !b1) throw new Error('fixtures');
    const { cache } = await open({ concurrency: 1 });
    server.delayMs = 100;
    cache.prefetch([a1, a2, a3]);
    cache.prefetch([b1]);
    await waitFor(() => cache.has(b1.audioId) && cache.has(a1.audioId));
    expect(server.requests).toEqual([`/${a1.path}`, `/${b1.path}`]);
  });

  it('reports a full disk', async () => {
    const item = publish('full');
    const { cache, dir } = await open({ retries: 0 });
    await writeFile(join(dir, 'leftover.part'), 'x');
    await symlink('/dev/full', join(dir, `${item.audioId}.part`));
    await expect(cache.fetch(item)).rejects.toMatchObject({ kind: 'disk-full' });
    expect(cache.has(item.audioId)).toBe(false);
    const reopened = await HttpAudioCache.open({ dir, consoleUrl, budgetBytes: 10_000 }, creds, log);
    expect(await readdir(dir)).toEqual([]);
    expect(reopened.usedBytes).toBe(0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
