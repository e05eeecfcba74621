import { z } from '@hono/zod-openapi';
import { GroupIdSchema } from '@xaso/device-profiles/contract';
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
  scope: z
    .enum(['all', 'mine', 'shared'])
    .default('all')
    .openapi({ description: 'mine: areas’ own recordings; shared: province-level items' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** An item as the signed-in user sees it: with its owner's name and whether they may change it. */
export const AudioViewSchema = AudioRecordSchema.extend({
  ownerAreaName: z.string().nullable().describe('Name of the owner area; null = province-level'),
  canManage: z.boolean().describe('Whether this user may retitle, share, move or delete the item'),
}).openapi('AudioItemView');

export const AudioListSchema = z
  .object({ items: z.array(AudioViewSchema), total: z.number().int() })
  .openapi('AudioList');

export const AudioResultSchema = z
  .object({
    item: AudioViewSchema,
    /** False when identical content was already in the library (the existing item is returned). */
    created: z.boolean(),
  })
  .openapi('AudioResult');

/** Who owns a new or moved item: an area id, or null for province-level (province staff only). */
const OwnerAreaSchema = GroupIdSchema.nullable();

/** The text fields of an upload form, parsed after the multipart body has been received. */
export const UploadFieldsSchema = z.object({
  /** Empty = province-level; absent = the console picks (the uploader's only area). */
  areaId: z
    .string()
    .max(64)
    .optional()
    .transform((s) => (s === '' ? null : s))
    .pipe(OwnerAreaSchema.optional()),
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
    areaId: z.string().optional().openapi({
      description:
        'Owner area; empty = province-level (province staff only); absent = the uploader’s only area',
    }),
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
    areaId: OwnerAreaSchema.optional(),
  })
  .openapi('AudioSpeech');

export const AudioPatchSchema = z
  .object({
    title: TitleSchema.optional(),
    language: LanguageSchema.optional(),
    tags: TagsSchema.optional(),
    shared: z.boolean().optional().openapi({ description: 'Share province-wide (admins only)' }),
    areaId: OwnerAreaSchema.optional().openapi({
      description: 'Move to another owner area (province staff)',
    }),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), {
    message: 'give at least one of title, language, tags, shared, areaId',
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

export type AudioPatch = z.infer<typeof AudioPatchSchema>;
