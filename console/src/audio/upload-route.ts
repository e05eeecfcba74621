import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorSchema } from '../app/common-schemas.js';
import type { AppEnv, ConsoleContext } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { AudioResultSchema, UploadFieldsSchema, UploadFormSchema } from './api-schemas.js';
import { AudioRejected } from './formats/facts.js';
import type { AudioLibrary } from './library.js';
import { MultipartError, boundaryOf, formatBytes, receiveMultipart } from './multipart.js';
import type { ScopedItems } from './scoped-items.js';

/** Room for the text fields and part headers on top of the file itself. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

const error = (description: string) => ({
  content: { 'application/json': { schema: ErrorSchema } },
  description,
});

/**
 * `POST /audio`: a multipart upload streamed to disk (never buffered in memory), checked, normalised and
 * added to the library. Registered by hand in the OpenAPI document because zod-openapi would buffer the form.
 */
export function mountUpload(
  app: OpenAPIHono<AppEnv>,
  ctx: ConsoleContext,
  library: AudioLibrary,
  items: ScopedItems,
): void {
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/audio',
    tags: ['audio'],
    summary:
      'Upload an MP3, WAV or OGG file (multipart field "file"); identical content returns the existing item',
    request: { body: { content: { 'multipart/form-data': { schema: UploadFormSchema } }, required: true } },
    responses: {
      200: {
        content: { 'application/json': { schema: AudioResultSchema } },
        description: 'Already in the library',
      },
      201: { content: { 'application/json': { schema: AudioResultSchema } }, description: 'Added' },
      400: error('Bad form; `field` names the field at fault'),
      401: error('Not signed in'),
      403: error('Missing role or CSRF token, or `areaId` outside the uploader’s areas'),
      409: error('The same audio is already owned by another area (ask province staff to share it)'),
      413: error('Larger than the upload limit'),
      415: error('Not multipart/form-data'),
      422: error('Not audio, or corrupt/truncated audio; the message says what is wrong'),
    },
  });

  app.post('/audio', ctx.requireRole('operator', 'approver'), (c) => upload(c, ctx, library, items));
}

async function upload(
  c: Context<AppEnv>,
  ctx: ConsoleContext,
  library: AudioLibrary,
  items: ScopedItems,
): Promise<Response> {
  const limit = library.config.maxUploadBytes;
  const boundary = boundaryOf(c.req.header('content-type'));
  if (boundary === null) {
    throw new HttpError(415, 'unsupported-media-type', 'send the file as multipart/form-data', 'body');
  }
  const declared = Number(c.req.header('content-length') ?? Number.NaN);
  if (declared > limit + FORM_OVERHEAD_BYTES) {
    c.header('connection', 'close');
    throw new HttpError(
      413,
      'too-large',
      `the file is larger than the upload limit of ${formatBytes(limit)}`,
      'file',
    );
  }
  const body = c.req.raw.body;
  if (body === null) throw new HttpError(400, 'invalid-request', 'the request has no body', 'file');

  let form: Awaited<ReturnType<typeof receiveMultipart>>;
  try {
    form = await receiveMultipart(
      body,
      boundary,
      { maxFileBytes: limit, maxFieldBytes: 4096, maxFields: 10 },
      () => library.createIncoming(),
    );
  } catch (err) {
    if (!(err instanceof MultipartError)) throw err;
    if (err.status === 413) c.header('connection', 'close');
    throw new HttpError(
      err.status,
      err.status === 413 ? 'too-large' : 'invalid-request',
      err.message,
      err.field,
    );
  }
  const file = form.file;
  if (file === null || file.field !== 'file') {
    if (file !== null) await library.store.discard(file.received.path);
    throw new HttpError(
      400,
      'invalid-request',
      'file: attach the audio file in the form field "file"',
      'file',
    );
  }
  const fields = UploadFieldsSchema.safeParse(Object.fromEntries(form.fields));
  if (!fields.success) {
    await library.store.discard(file.received.path);
    const issue = fields.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'body';
    throw new HttpError(400, 'invalid-request', `${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  const user = c.get('user');
  let ownerAreaId: string | null;
  try {
    ownerAreaId = library.scope.ownerFor(user, fields.data.areaId);
  } catch (err) {
    await library.store.discard(file.received.path);
    throw err;
  }
  try {
    const { item, created } = await library.ingest(file.received, {
      title: fields.data.title ?? titleFromName(file.filename),
      language: fields.data.language,
      tags: fields.data.tags,
      uploadedBy: user.username,
      ownerAreaId,
      source: 'upload',
      originalName: file.filename,
    });
    items.refuseHidden(user, item, 'file');
    ctx.audit.record({
      actor: user.username,
      action: created ? 'audio.upload' : 'audio.upload-duplicate',
      target: item.id,
      detail: {
        title: item.title,
        file: file.filename,
        bytes: file.received.bytes,
        loudness: item.loudness.status,
        ownerAreaId: item.ownerAreaId,
      },
    });
    return c.json({ item: items.view(user, item), created }, created ? 201 : 200);
  } catch (err) {
    if (err instanceof AudioRejected) {
      ctx.log.info({ file: file.filename, reason: err.reason, user: user.username }, 'audio upload refused');
      throw new HttpError(422, 'invalid-audio', `file: ${err.message}`, 'file');
    }
    throw err;
  }
}

function titleFromName(filename: string): string {
  const base = filename
    .replace(/^.*[\\/]/, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .trim();
  return (base === '' ? 'Untitled' : base).slice(0, 200);
}
