import { z } from 'zod';

const HeaderNameSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name');

/** The offline default: Debian's espeak-ng with its Vietnamese voices. */
export const EspeakConfigSchema = z.object({
  kind: z.literal('espeak-ng'),
  binary: z.string().min(1).default('espeak-ng'),
  /** espeak-ng voice per language; the northern voice for plain 'vi'. */
  voices: z.record(z.string(), z.string().min(1)).default({ vi: 'vi', en: 'en' }),
  /** Words per minute; a little slower than espeak's 175 carries better over loudspeakers. */
  wordsPerMinute: z.number().int().min(80).max(450).default(150),
});

/**
 * A commercial TTS service over HTTP. `template` is the request body (POST/PUT) or is appended to the URL as
 * the query string (GET); {{text}}, {{language}} and {{voice}} are filled in, escaped for `contentType`.
 */
export const HttpSpeechConfigSchema = z.object({
  kind: z.literal('http'),
  url: z.string().url(),
  method: z.enum(['GET', 'POST', 'PUT']).default('POST'),
  auth: z.object({ header: HeaderNameSchema, value: z.string().min(1).max(4096) }).optional(),
  headers: z.record(HeaderNameSchema, z.string().max(4096)).default({}),
  contentType: z
    .enum(['application/json', 'text/plain', 'application/x-www-form-urlencoded'])
    .default('application/json'),
  template: z.string().min(1).max(16_384).default('{"text":"{{text}}","language":"{{language}}"}'),
  voices: z.record(z.string(), z.string().min(1)).default({}),
  /**
   * 'audio': the response body is the audio. Otherwise the response is JSON and `field` (dotted path) holds
   * a URL to fetch the audio from (services that render asynchronously) or the audio in base64.
   */
  response: z
    .union([
      z.object({ kind: z.literal('audio') }),
      z.object({ kind: z.enum(['json-url', 'json-base64']), field: z.string().min(1).max(200) }),
    ])
    .default({ kind: 'audio' }),
  timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
});

export const SpeechConfigSchema = z.discriminatedUnion('kind', [EspeakConfigSchema, HttpSpeechConfigSchema]);

export const AudioConfigSchema = z.object({
  /** Uploads above this are refused with 413 while streaming, before they fill the disk. */
  maxUploadBytes: z
    .number()
    .int()
    .min(1024)
    .max(2 * 1024 ** 3)
    .default(100 * 1024 ** 2),
  /** EBU R128 target; -16 LUFS suits speech over outdoor loudspeakers. */
  loudness: z
    .object({
      enabled: z.boolean().default(true),
      integratedLufs: z.number().min(-40).max(-5).default(-16),
      truePeakDbtp: z.number().min(-9).max(0).default(-1.5),
      loudnessRange: z.number().min(1).max(20).default(11),
    })
    .default({ enabled: true, integratedLufs: -16, truePeakDbtp: -1.5, loudnessRange: 11 }),
  ffmpegPath: z.string().min(1).default('ffmpeg'),
  speech: SpeechConfigSchema.default(EspeakConfigSchema.parse({ kind: 'espeak-ng' })),
  /** Longest text accepted for one TTS item. */
  maxSpeechChars: z.number().int().min(100).max(100_000).default(5000),
});

export type AudioConfig = z.infer<typeof AudioConfigSchema>;
export type AudioConfigInput = z.input<typeof AudioConfigSchema>;
export type SpeechConfig = z.infer<typeof SpeechConfigSchema>;
export type HttpSpeechConfig = z.infer<typeof HttpSpeechConfigSchema>;
export type EspeakConfig = z.infer<typeof EspeakConfigSchema>;
