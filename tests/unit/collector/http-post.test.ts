import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkFailure } from '../../../collector/src/store/influx/http-failure.js';
import { postBody } from '../../../collector/src/store/influx/http-post.js';
import { freePort } from '../../harness/index.js';

describe('line-protocol POSTs without fetch', () => {
  let server: Server;
  let base: string;
  const received: Array<{ body: Buffer; length: string | undefined; auth: string | undefined }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks),
          length: req.headers['content-length'],
          auth: req.headers.authorization,
        });
        if (req.url?.startsWith('/busy')) {
          res.writeHead(429, { 'Retry-After': '7' }).end('too many writes');
        } else if (req.url?.startsWith('/slow')) {
          setTimeout(() => res.writeHead(204).end(), 2000);
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends text and bytes whole, with their byte length and the given headers', async () => {
    const text = 'air,commune=xã\\ Tân\\ Biên pm25=12 1\nair,commune=x pm25=13 2';
    const bytes = Buffer.from('water,device=w-1 ph=7.25 3');
    for (const body of [text, bytes]) {
      const reply = await postBody(new URL(`${base}/write`), { Authorization: 'Token t' }, body, 1000);
      expect(reply.status).toBe(204);
    }
    expect(received.map((r) => r.body.toString('utf8'))).toEqual([text, bytes.toString('utf8')]);
    expect(received.map((r) => Number(r.length))).toEqual([Buffer.byteLength(text), bytes.length]);
    expect(received.every((r) => r.auth === 'Token t')).toBe(true);
  });

  it('resolves any HTTP status with its text and Retry-After', async () => {
    const reply = await postBody(new URL(`${base}/busy`), {}, 'x', 1000);
    expect(reply).toEqual({ status: 429, body: 'too many writes', retryAfter: '7' });
  });

  it('rejects a timeout and a refused connection, each named in the failure', async () => {
    const slow = await postBody(new URL(`${base}/slow`), {}, 'x', 200).catch((err: unknown) => err);
    expect(networkFailure(slow).message).toMatch(/cannot reach the database: .*(abort|timeout)/i);
    const closed = `http://127.0.0.1:${await freePort()}/write`;
    const refused = await postBody(new URL(closed), {}, 'x', 1000).catch((err: unknown) => err);
    expect(networkFailure(refused).message).toBe('cannot reach the database: ECONNREFUSED');
    expect(networkFailure(refused).retryable).toBe(true);
  });
});
