import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorSchema, errorResponses, jsonBody, ok } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import {
  AudioIdParamSchema,
  AudioListQuerySchema,
  AudioListSchema,
  AudioResultSchema,
  AudioViewSchema,
  SpeechBodySchema,
} from './api-schemas.js';
import { AudioRejected } from './formats/facts.js';
import { mountItemChanges } from './item-routes.js';
import { AudioLibrary } from './library.js';
import { fileResponse } from './range.js';
import { ScopedItems } from './scoped-items.js';
import { SpeechFailed } from './speech/index.js';
import { mountUpload } from './upload-route.js';

const TAGS = ['audio'];
const json = <T extends typeof ErrorSchema | typeof AudioResultSchema>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const list = createRoute({
  method: 'get',
  path: '/audio',
  tags: TAGS,
  summary: 'List and search the audio library (newest first)',
  request: { query: AudioListQuerySchema },
  responses: { ...ok(AudioListSchema), ...errorResponses },
});
const get = createRoute({
  method: 'get',
  path: '/audio/{id}',
  tags: TAGS,
  summary: 'One audio item with duration, format and loudness',
  request: { params: AudioIdParamSchema },
  responses: { ...ok(AudioViewSchema), ...errorResponses },
});
const speak = createRoute({
  method: 'post',
  path: '/audio/tts',
  tags: TAGS,
  summary: 'Text-to-speech: turn an announcement text into a library item (the text is kept with it)',
  request: jsonBody(SpeechBodySchema),
  responses: {
    200: json(AudioResultSchema, 'The same text was already spoken; the existing item'),
    201: json(AudioResultSchema, 'Added'),
    ...errorResponses,
    503: json(ErrorSchema, 'The speech engine is missing or failed'),
  },
});
const preview = createRoute({
  method: 'get',
  path: '/audio/{id}/content',
  tags: TAGS,
  summary: 'The playable file for the browser preview (Range supported)',
  request: { params: AudioIdParamSchema },
  responses: {
    200: {
      content: { 'audio/*': { schema: { type: 'string', format: 'binary' } } },
      description: 'The audio',
    },
    206: { description: 'Partial content for a Range request' },
    416: { description: 'Range not satisfiable' },
    ...errorResponses,
  },
});

/** The audio library API for operators, approvers and admins, mounted under /api; items are scoped to areas. */
export function audioRoutes(ctx: ConsoleContext): OpenAPIHono<AppEnv> {
  const library = ctx.audio;
  if (!(library instanceof AudioLibrary)) {
    throw new Error('audioRoutes needs ctx.audio to be the AudioLibrary from openAudioLibrary()');
  }
  const app = createRouter();
  const guard = ctx.requireRole('operator', 'approver');
  app.use('/audio', guard);
  app.use('/audio/*', guard);
  const items = new ScopedItems(library);

  app.openapi(list, (c) => {
    const user = c.get('user');
    const { scope, ...query } = c.req.valid('query');
    const rules = library.scope.remembering();
    const found = library.list({
      ...query,
      ...(scope === 'all' ? {} : { scope }),
      visibility: rules.visibility(user),
    });
    const views = found.items.map((item) => items.view(user, item, rules));
    return c.json({ items: views, total: found.total }, 200);
  });

  app.openapi(get, (c) => {
    const user = c.get('user');
    return c.json(items.view(user, items.visible(user, c.req.valid('param').id)), 200);
  });

  mountUpload(app, ctx, library, items);

  app.openapi(speak, async (c) => {
    const body = c.req.valid('json');
    if (body.text.length > library.config.maxSpeechChars) {
      throw new HttpError(
        400,
        'invalid-request',
        `text: longer than ${library.config.maxSpeechChars} characters`,
        'text',
      );
    }
    const user = c.get('user');
    const { areaId, ...request } = body;
    const ownerAreaId = library.scope.ownerFor(user, areaId);
    try {
      const { item, created } = await library.speak({ ...request, ownerAreaId, actor: user.username });
      items.refuseHidden(user, item, 'text');
      ctx.audit.record({
        actor: user.username,
        action: 'audio.tts',
        target: item.id,
        detail: { title: item.title, created, ownerAreaId: item.ownerAreaId },
      });
      return c.json({ item: items.view(user, item), created }, created ? 201 : 200);
    } catch (err) {
      if (err instanceof SpeechFailed) throw new HttpError(503, 'speech-unavailable', err.message, 'text');
      if (err instanceof AudioRejected) {
        const message = `the speech engine produced unusable audio: ${err.message}`;
        throw new HttpError(503, 'speech-unavailable', message, 'text');
      }
      throw err;
    }
  });

  mountItemChanges(app, ctx, library, items);

  app.openapi(preview, (c) => {
    const { id } = c.req.valid('param');
    items.visible(c.get('user'), id);
    const file = library.file(id);
    if (file === undefined) throw new HttpError(404, 'not-found', `no audio item ${id}`, 'id');
    return fileResponse(
      c.req.raw,
      { ...file, etag: id },
      { cacheControl: 'private, max-age=86400', headOnly: false },
    );
  });

  return app;
}
