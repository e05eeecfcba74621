import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../harness/index.js';
import { type ConsoleStack, startConsoleStack } from '../console/fixture.js';

// The smallest valid PNG (1×1): what a tile server answers, as far as the proxy cares.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

describe('the map tile proxy', () => {
  let upstream: Server;
  let stack: ConsoleStack;
  let deadStack: ConsoleStack;
  const hits: string[] = [];
  const userAgents: string[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      hits.push(req.url ?? '');
      userAgents.push(req.headers['user-agent'] ?? '');
      if (req.url?.startsWith('/missing/')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('no tile');
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    stack = await startConsoleStack({
      config: { map: { tileUrl: `http://127.0.0.1:${port}/{z}/{x}/{y}.png` } },
    });
    // A tile source nobody listens on: what an office without internet gets.
    const closed = await freePort();
    deadStack = await startConsoleStack({
      config: { map: { tileUrl: `http://127.0.0.1:${closed}/{z}/{x}/{y}.png` } },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await deadStack?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('serves tiles from our own origin and keeps them on disk', async () => {
    const tech = await stack.login('technician');
    const settings = await tech.get('/api/map/settings');
    expect(settings.body).toMatchObject({ tileUrl: '/api/map/tiles/{z}/{x}/{y}' });
    for (let i = 0; i < 2; i++) {
      const res = await tech.fetch('/api/map/tiles/12/3250/1890');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    }
    expect(hits).toEqual(['/12/3250/1890.png']);
    expect(userAgents[0]).toMatch(/^xaso-console/);
  });

  it('refuses tiles outside the zoom level, without a session, and names the field', async () => {
    const tech = await stack.login('technician');
    const outside = await tech.get('/api/map/tiles/2/4/0');
    expect(outside.status).toBe(400);
    expect(outside.body).toMatchObject({ field: 'x' });
    expect((await stack.client().fetch('/api/map/tiles/1/0/0')).status).toBe(401);
  });

  it('answers 503 quickly when the tile source cannot be reached, so the browser falls back to the schematic', async () => {
    const tech = await deadStack.login('technician');
    const started = Date.now();
    const res = await tech.get('/api/map/tiles/10/800/470');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'tile-source', field: 'map.tileUrl' });
    expect(Date.now() - started).toBeLessThan(6000);
  });
});
