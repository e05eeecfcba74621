import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './env.js';

interface Issue {
  path: PropertyKey[];
  message: string;
}

/** The body every 400 for bad input carries: the first field at fault, spelt as a dotted path. */
export function invalidInputBody(target: string, issues: readonly Issue[], requestId?: string) {
  const first = issues[0];
  const path = first?.path.map(String).join('.') ?? '';
  const field = path === '' ? target : path;
  return {
    error: 'invalid-request',
    field,
    message: `${field}: ${first?.message ?? 'invalid value'}`,
    issues: issues
      .slice(0, 20)
      .map((i) => ({ field: i.path.map(String).join('.') || target, message: i.message })),
    requestId,
  };
}

function validationHook(
  result: { success: boolean; target: string; error?: { issues: readonly Issue[] } },
  c: Context<AppEnv>,
): Response | undefined {
  if (result.success || !result.error) return undefined;
  return c.json(invalidInputBody(result.target, result.error.issues, c.get('requestId')), 400);
}

/** Every console module builds its routes on this so bad input answers the same way everywhere. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
