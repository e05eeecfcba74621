import { z } from '@hono/zod-openapi';
import { GroupIdSchema } from '@xaso/device-profiles/contract';
import { USER_ROLES } from '../app/env.js';

export const UsernameSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" or "-"')
  .openapi({ example: 'canbo.xatanbien' });

/** Long rather than complex: commune staff remember a phrase better than symbols. */
export const NewPasswordSchema = z.string().min(10, 'at least 10 characters').max(256);

export const RoleSchema = z.enum(USER_ROLES);

export const UserViewSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(RoleSchema),
    areaIds: z.array(z.string()),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi('User');

export const NewUserSchema = z
  .object({
    username: UsernameSchema,
    displayName: z.string().min(1).max(200),
    roles: z.array(RoleSchema).min(1).max(USER_ROLES.length),
    areaIds: z.array(GroupIdSchema).max(200).default([]),
    /** Omitted: the console generates a one-time password and returns it once. */
    password: NewPasswordSchema.optional(),
  })
  .openapi('NewUser');

export const UserPatchSchema = z
  .object({
    displayName: z.string().min(1).max(200).optional(),
    roles: z.array(RoleSchema).min(1).max(USER_ROLES.length).optional(),
    areaIds: z.array(GroupIdSchema).max(200).optional(),
    disabled: z.boolean().optional(),
  })
  .openapi('UserPatch');

export type UserView = z.infer<typeof UserViewSchema>;
export type NewUser = z.infer<typeof NewUserSchema>;
export type UserPatch = z.infer<typeof UserPatchSchema>;
