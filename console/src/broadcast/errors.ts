import type { z } from 'zod';

/** A refusal the API turns into a 4xx JSON answer naming the field at fault. */
export class BroadcastError extends Error {
  override name = 'BroadcastError';
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 410 | 422,
    message: string,
    readonly field?: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

/** Parses input or throws a 400 whose message starts with the path of the first bad field. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, prefix = ''): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter((p) => p !== '').join('.');
  const field = path || prefix || 'body';
  throw new BroadcastError(400, `${field}: ${issue?.message ?? 'invalid value'}`, field, {
    issues: result.error.issues.map((i) => ({
      field: [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.'),
      message: i.message,
    })),
  });
}
