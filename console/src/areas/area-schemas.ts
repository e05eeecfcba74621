import { z } from '@hono/zod-openapi';
import { GroupIdSchema } from '@xaso/device-profiles/contract';

export const AREA_KINDS = ['province', 'commune', 'village', 'other'] as const;

export const AreaSchema = z
  .object({
    id: GroupIdSchema,
    parentId: GroupIdSchema.nullable(),
    name: z.string().min(1).max(200).openapi({ example: 'Xã Tân Biên' }),
    kind: z.enum(AREA_KINDS),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    requiresApproval: z.boolean(),
  })
  .openapi('Area');

export const NewAreaSchema = AreaSchema.extend({
  parentId: GroupIdSchema.nullable().default(null),
  requiresApproval: z.boolean().default(false),
}).openapi('NewArea');

export const AreaPatchSchema = z
  .object({
    parentId: GroupIdSchema.nullable().optional(),
    name: z.string().min(1).max(200).optional(),
    kind: z.enum(AREA_KINDS).optional(),
    lat: z.number().min(-90).max(90).nullable().optional(),
    lon: z.number().min(-180).max(180).nullable().optional(),
    requiresApproval: z.boolean().optional(),
  })
  .openapi('AreaPatch');

/** The seed file: `{ "areas": [...] }`, parents anywhere in the list. */
export const AreaFileSchema = z.object({ areas: z.array(NewAreaSchema).max(100_000) });

export type NewArea = z.infer<typeof NewAreaSchema>;
export type AreaPatch = z.infer<typeof AreaPatchSchema>;
