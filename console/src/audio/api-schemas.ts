import { z } from '@hono/zod-openapi';
import { AudioRecordSchema, LanguageSchema, TagsSchema, TitleSchema } from './item-schema.js';

export const AudioIdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 of an audio item (64 lower-case hex digits)')
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const AudioListQuerySchema = z.object({
  q: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'Search title, tags and spoken text (diacritics optional)' }),
  tag: z.string().min(1).max(50).optional(),
  language: LanguageSchema.optional(),
  source: z.enum(['upload', 'tts', 'import']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const AudioListSchema = z
  .object({ items: z.array(AudioRecordSchema), total: z.number().int() })
  .openapi('AudioList');

export const AudioResultSchema = z
  .object({
    item: AudioRecordSchema,
    /** False when identical content was already in the library (the existing item is returned). */
    created: z.boolean(),
  })
  .openapi('AudioResult');

/** The text fields of an upload form, parsed after the multipart body has been received. */
export const UploadFieldsSchema = z.object({
  title: TitleSchema.optional(),
  language: LanguageSchema.default('vi'),
  /** Comma-separated. */
  tags: z
    .string()
    .max(2000)
    .optional()
    .transform((s) =>
      s === undefined
        ? []
        : s
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t !== ''),
    )
    .pipe(TagsSchema),
});

export const UploadFormSchema = z
  .object({
    file: z.string().openapi({ type: 'string', format: 'binary', description: 'MP3, WAV or OGG audio' }),
    title: z.string().optional().openapi({ description: 'Defaults to the file name' }),
    language: z.string().optional().openapi({ description: 'Language tag, default "vi"' }),
    tags: z.string().optional().openapi({ description: 'Comma-separated tags' }),
  })
  .openapi('AudioUpload');

export const SpeechBodySchema = z
  .object({
    text: z.string().trim().min(1, 'must not be empty'),
    language: LanguageSchema.default('vi'),
    voice: z
      .string()
      .regex(/^[A-Za-z0-9_+.-]{1,64}$/, 'must be a voice name')
      .optional(),
    title: TitleSchema.optional(),
    tags: TagsSchema.default([]),
  })
  .openapi('AudioSpeech');

export const AudioPatchSchema = z
  .object({ title: TitleSchema.optional(), language: LanguageSchema.optional(), tags: TagsSchema.optional() })
  .refine((p) => p.title !== undefined || p.language !== undefined || p.tags !== undefined, {
    message: 'give at least one of title, language, tags',
    path: ['title'],
  })
  .openapi('AudioPatch');

export const AudioInUseSchema = z
  .object({
    error: z.literal('in-use'),
    field: z.literal('id'),
    message: z.string(),
    uses: z.array(z.string()),
  })
  .openapi('AudioInUse');
