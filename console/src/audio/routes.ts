import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorSchema, errorResponses, jsonBody, ok } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { createRouter } from '../app/router.js';
import {
  AudioIdParamSchema,
  AudioInUseSchema,
  AudioListQuerySchema,
  AudioListSchema,
  AudioPatchSchema,
  AudioResultSchema,
  SpeechBodySchema,
} from './api-schemas.js';
import { AudioRejected } from './formats/facts.js';
import { AudioRecordSchema } from './item-schema.js';
import { AudioInUse, AudioLibrary } from './library.js';
import { fileResponse } from './range.js';
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
  responses: { ...ok(AudioRecordSchema), ...errorResponses },
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
const patch = createRoute({
  method: 'patch',
  path: '/audio/{id}',
  tags: TAGS,
  summary: 'Change title, language or tags',
  request: { params: AudioIdParamSchema, ...jsonBody(AudioPatchSchema) },
  responses: { ...ok(AudioRecordSchema), ...errorResponses },
});
const remove = createRoute({
  method: 'delete',
  path: '/audio/{id}',
  tags: TAGS,
  summary: 'Delete an item and its file; refused (409, with the uses) while schedules or broadcasts use it',
  request: { params: AudioIdParamSchema },
  responses: {
    204: { description: 'Deleted' },
    ...errorResponses,
    409: { content: { 'application/json': { schema: AudioInUseSchema } }, description: 'Still in use' },
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

/** The audio library API for operators, approvers and admins, mounted under /api. */
export function audioRoutes(ctx: ConsoleContext): OpenAPIHono<AppEnv> {
  const library = ctx.audio;
  if (!(library instanceof AudioLibrary)) {
    throw new Error('audioRoutes needs ctx.audio to be the AudioLibrary from openAudioLibrary()');
  }
  const app = createRouter();
  const guard = ctx.requireRole('operator', 'approver');
  app.use('/audio', guard);
  app.use('/audio/*', guard);
  const notFound = (id: string) => new HttpError(404, 'not-found', `no audio item ${id}`, 'id');

  app.openapi(list, (c) => c.json(library.list(c.req.valid('query')), 200));

  app.openapi(get, (c) => {
    const { id } = c.req.valid('param');
    const item = library.record(id);
    if (item === undefined) throw notFound(id);
    return c.json(item, 200);
  });

  mountUpload(app, ctx, library);

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
    const actor = c.get('user').username;
    try {
      const { item, created } = await library.speak({ ...body, actor });
      ctx.audit.record({
        actor,
        action: 'audio.tts',
        target: item.id,
        detail: { title: item.title, created },
      });
      return c.json({ item, created }, created ? 201 : 200);
    } catch (err) {
      if (err instanceof SpeechFailed) throw new HttpError(503, 'speech-unavailable', err.message, 'text');
      if (err instanceof AudioRejected) {
        const message = `the speech engine produced unusable audio: ${err.message}`;
        throw new HttpError(503, 'speech-unavailable', message, 'text');
      }
      throw err;
    }
  });

  app.openapi(patch, (c) => {
    const { id } = c.req.valid('param');
    const changes = c.req.valid('json');
    const item = library.update(id, changes);
    if (item === undefined) throw notFound(id);
    ctx.audit.record({ actor: c.get('user').username, action: 'audio.update', target: id, detail: changes });
    return c.json(item, 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    const item = library.record(id);
    try {
      if (!(await library.delete(id))) throw notFound(id);
    } catch (err) {
      if (!(err instanceof AudioInUse)) throw err;
      return c.json(
        { error: 'in-use' as const, field: 'id' as const, message: err.message, uses: err.uses },
        409,
      );
    }
    ctx.audit.record({
      actor: c.get('user').username,
      action: 'audio.delete',
      target: id,
      detail: { title: item?.title },
    });
    return c.body(null, 204);
  });

  app.openapi(preview, (c) => {
    const { id } = c.req.valid('param');
    const file = library.file(id);
    if (file === undefined) throw notFound(id);
    return fileResponse(
      c.req.raw,
      { ...file, etag: id },
      { cacheControl: 'private, max-age=86400', headOnly: false },
    );
  });

  return app;
}
