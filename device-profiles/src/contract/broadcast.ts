import { z } from 'zod';

/** Circular 39/2020/TT-BTTTT's three bulletin levels. */
export const PrioritySchema = z.enum(['emergency', 'priority', 'normal']);
export type Priority = z.infer<typeof PrioritySchema>;

export const Sha256Schema = z.string().regex(/^[a-f0-9]{64}$/, 'lower-case hex SHA-256');

/** One audio item; the gateway downloads `path` from the console and checks the hash. */
export const PlaylistItemSchema = z.object({
  audioId: Sha256Schema,
  path: z.string().min(1).max(512).describe('Download path relative to the console URL'),
  durationMs: z.number().int().positive(),
  title: z.string().max(200).optional(),
});

export const VolumeSchema = z.number().int().min(0).max(100);

export type PlaylistItem = z.infer<typeof PlaylistItemSchema>;
