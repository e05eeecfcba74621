import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorSchema } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { createRouter } from '../app/router.js';
import { AudioLibrary } from './library.js';
import { fileResponse } from './range.js';

const Sha256ParamSchema = z.object({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 (64 lower-case hex digits)')
    .openapi({ param: { name: 'sha256', in: 'path' } }),
});

const error = (description: string) => ({
  content: { 'application/json': { schema: ErrorSchema } },
  description,
});

const download = createRoute({
  method: 'get',
  path: '/media/{sha256}',
  tags: ['media'],
  summary:
    'Audio download for gateways: HTTP Basic with the device id and its MQTT password; Range, ETag = SHA-256',
  security: [{ deviceBasic: [] }],
  request: { params: Sha256ParamSchema },
  responses: {
    200: {
      content: { 'audio/*': { schema: { type: 'string', format: 'binary' } } },
      description: 'The audio',
    },
    206: { description: 'Partial content for a Range request' },
    304: { description: 'Not modified (If-None-Match)' },
    400: error('Malformed SHA-256'),
    401: error('Missing or wrong device credentials, or the device is disabled'),
    403: error('The principal is not a loudspeaker cluster'),
    404: error('No such audio'),
    416: { description: 'Range not satisfiable' },
  },
});

/** Decodes `Authorization: Basic ...` into user and password; null when absent or malformed. */
export function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * `GET|HEAD /media/<sha256>`, mounted at the console's root, outside the session gate: loudspeaker gateways
 * fetch the audio their schedules name with their registry credentials.
 */
export function mediaRoutes(ctx: ConsoleContext): OpenAPIHono<AppEnv> {
  const library = ctx.audio;
  if (!(library instanceof AudioLibrary)) {
    throw new Error('mediaRoutes needs ctx.audio to be the AudioLibrary from openAudioLibrary()');
  }
  const app = createRouter();
  app.openAPIRegistry.registerComponent('securitySchemes', 'deviceBasic', {
    type: 'http',
    scheme: 'basic',
    description: 'Device id and its MQTT password',
  });

  const serve = async (c: Context<AppEnv>, sha256: string): Promise<Response> => {
    const refuse = (status: 401 | 403, message: string) => {
      if (status === 401) c.header('www-authenticate', 'Basic realm="xaso-media", charset="UTF-8"');
      return c.json({ error: status === 401 ? 'unauthenticated' : 'forbidden', message }, status);
    };
    const credentials = basicCredentials(c.req.header('authorization'));
    if (credentials === null) return refuse(401, 'send the device id and MQTT password with HTTP Basic');
    const principal = await ctx.registry.verify(credentials.username, credentials.password);
    if (principal === null) {
      ctx.log.info({ username: credentials.username, sha256 }, 'media download refused: bad credentials');
      return refuse(401, 'unknown device, wrong password or disabled device');
    }
    if (principal.kind !== 'device' || principal.role !== 'speaker-cluster') {
      return refuse(403, 'only loudspeaker clusters download audio here');
    }
    const file = library.file(sha256);
    if (file === undefined)
      return c.json({ error: 'not-found', field: 'sha256', message: `no audio ${sha256}` }, 404);
    return fileResponse(
      c.req.raw,
      { ...file, etag: sha256 },
      { cacheControl: 'private, max-age=31536000, immutable', headOnly: c.req.method === 'HEAD' },
    );
  };

  app.openapi(download, (c) => serve(c, c.req.valid('param').sha256));
  return app;
}
