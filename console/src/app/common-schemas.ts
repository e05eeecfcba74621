import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.string(),
    message: z.string(),
    field: z.string().optional(),
    requestId: z.string().optional(),
  })
  .openapi('Error');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** Response entries every guarded route shares. */
export const errorResponses = {
  400: json(ErrorSchema, 'Bad input; `field` names the first field at fault'),
  401: json(ErrorSchema, 'Not signed in'),
  403: json(ErrorSchema, 'Missing role, area or CSRF token'),
  404: json(ErrorSchema, 'Not found'),
  409: json(ErrorSchema, 'Conflicts with the current state'),
} as const;

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}

export function ok<T extends z.ZodType>(schema: T, description = 'OK') {
  return { 200: json(schema, description) };
}

export const IdParamSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
