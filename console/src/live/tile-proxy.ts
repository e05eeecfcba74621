import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import { ErrorSchema, errorResponses } from '../app/common-schemas.js';
import type { ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import type { MapConfig } from './live-config.js';
import { LIVE_ROLES } from './live-schemas.js';

/** What the browser asks for; the console fetches from the configured source (the CSP allows only 'self'). */
export const TILE_PATH_TEMPLATE = '/api/map/tiles/{z}/{x}/{y}';
const UPSTREAM_TIMEOUT_MS = 5000;
const MAX_TILE_BYTES = 1024 * 1024;
/** OpenStreetMap's tile policy asks for an identifying User-Agent. */
const USER_AGENT = 'xaso-console/1 (commune loudspeakers and environmental monitoring)';

const TileParamsSchema = z.object({
  z: z.coerce
    .number()
    .int()
    .min(0)
    .max(22)
    .openapi({ param: { name: 'z', in: 'path' } }),
  x: z.coerce
    .number()
    .int()
    .min(0)
    .openapi({ param: { name: 'x', in: 'path' } }),
  y: z.coerce
    .number()
    .int()
    .min(0)
    .openapi({ param: { name: 'y', in: 'path' } }),
});

const tileRoute = createRoute({
  method: 'get',
  path: '/map/tiles/{z}/{x}/{y}',
  tags: ['live'],
  summary: 'One map tile from the configured tile source, cached on disk',
  request: { params: TileParamsSchema },
  responses: {
    200: { content: { 'image/png': { schema: z.string() } }, description: 'The tile image' },
    ...errorResponses,
    503: {
      content: { 'application/json': { schema: ErrorSchema } },
      description: 'The tile source did not answer (or none is configured)',
    },
  },
});

export function upstreamUrl(template: string, z: number, x: number, y: number): string {
  return template
    .replace('{s}', 'a')
    .replace('{z}', String(z))
    .replace('{x}', String(x))
    .replace('{y}', String(y));
}

async function fetchTile(url: string, log: Logger): Promise<{ body: Buffer; type: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { 'user-agent': USER_AGENT },
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
  } catch (err) {
    log.debug({ url, err: (err as Error).message }, 'tile source unreachable');
    throw new HttpError(
      503,
      'tile-source',
      `tile source unreachable: ${(err as Error).message}`,
      'map.tileUrl',
    );
  }
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok || !type.startsWith('image/'))
    throw new HttpError(503, 'tile-source', `tile source answered ${res.status} ${type}`, 'map.tileUrl');
  const body = Buffer.from(await res.arrayBuffer());
  if (body.byteLength > MAX_TILE_BYTES)
    throw new HttpError(503, 'tile-source', 'tile larger than 1 MiB', 'map.tileUrl');
  return { body, type };
}

/** Tiles through the console: same origin for the CSP, and a disk cache so an office's map works offline. */
export function tileRoutes(ctx: ConsoleContext, map: MapConfig) {
  const app = createRouter();
  const cacheDir = join(ctx.dataDir, 'map-tiles');
  const log = ctx.log.child({ module: 'map-tiles' });
  app.use('/map/tiles/*', ctx.requireRole(...LIVE_ROLES));
  app.openapi(tileRoute, async (c) => {
    const { z: zoom, x, y } = c.req.valid('param');
    if (map.tileUrl === '') throw new HttpError(404, 'not-found', 'no tile source configured', 'map.tileUrl');
    const limit = 2 ** zoom;
    if (x >= limit) throw new HttpError(400, 'invalid-request', `x: must be below ${limit}`, 'x');
    if (y >= limit) throw new HttpError(400, 'invalid-request', `y: must be below ${limit}`, 'y');
    const file = join(cacheDir, String(zoom), String(x), `${y}.tile`);
    let tile: { body: Buffer; type: string };
    try {
      const cached = await readFile(file);
      const split = cached.indexOf(0x0a);
      tile = { type: cached.subarray(0, split).toString('utf8'), body: cached.subarray(split + 1) };
    } catch {
      tile = await fetchTile(upstreamUrl(map.tileUrl, zoom, x, y), log);
      await mkdir(dirname(file), { recursive: true });
      const staging = `${file}.${process.pid}.tmp`;
      await writeFile(staging, Buffer.concat([Buffer.from(`${tile.type}\n`), tile.body]));
      await rename(staging, file);
    }
    return c.body(new Uint8Array(tile.body), 200, {
      'content-type': tile.type,
      'cache-control': 'private, max-age=86400',
    });
  });
  return app;
}
