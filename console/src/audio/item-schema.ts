import { z } from '@hono/zod-openapi';
import { AUDIO_FORMATS } from './formats/facts.js';

export const LanguageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as "vi" or "en"');
export const TagsSchema = z.array(z.string().trim().min(1).max(50)).max(30);
export const TitleSchema = z.string().trim().min(1).max(200);

export const LoudnessSchema = z.object({
  status: z.enum(['normalised', 'not-normalised']),
  /** Why it was not normalised (ffmpeg missing, silence, disabled, failure). */
  note: z.string().nullable(),
  beforeLufs: z.number().nullable(),
  afterLufs: z.number().nullable(),
  targetLufs: z.number().nullable(),
});

export const AudioRecordSchema = z
  .object({
    id: z.string().describe('SHA-256 of the playable file (the contract audioId)'),
    originalSha256: z.string().describe('SHA-256 of what was uploaded or synthesised'),
    title: z.string(),
    language: z.string(),
    tags: z.array(z.string()),
    source: z.enum(['upload', 'tts', 'import']),
    originalName: z.string().nullable(),
    speech: z.object({ text: z.string(), engine: z.string() }).nullable(),
    format: z.enum(AUDIO_FORMATS),
    codec: z.string(),
    durationMs: z.number().int(),
    sampleRate: z.number().int(),
    channels: z.number().int(),
    bytes: z.number().int(),
    loudness: LoudnessSchema,
    uploadedBy: z.string(),
    ownerAreaId: z
      .string()
      .nullable()
      .describe('The area whose own recording this is; null = province-level (visible to everyone)'),
    shared: z.boolean().describe('Shared province-wide by an admin (then province-level too)'),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
    path: z.string().describe('Download path for gateways, relative to the console URL'),
  })
  .openapi('AudioItem');

export type AudioRecord = z.infer<typeof AudioRecordSchema>;
export type AudioSource = AudioRecord['source'];
