import { z } from '@hono/zod-openapi';
import { HttpError } from '../app/http-error.js';
import { DEVICE_ROLES } from './device-schemas.js';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
export const DEVICE_STATES = ['online', 'offline', 'playing', 'fault', 'disabled'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export const DeviceListQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE)
    .default(DEFAULT_PAGE)
    .openapi({ description: `Devices per page (default ${DEFAULT_PAGE}, at most ${MAX_PAGE})` }),
  cursor: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'nextCursor of the previous page; the order is by id, stable under changes' }),
  area: z.string().min(1).max(64).optional().openapi({ description: 'This area and everything under it' }),
  kind: z.enum(DEVICE_ROLES).optional(),
  state: z.enum(DEVICE_STATES).optional().openapi({
    description: 'online, offline (incl. disabled and never seen), playing, fault (both online), disabled',
  }),
  q: z.string().max(100).optional().openapi({
    description: 'Part of the id or name; accents and case do not matter ("tan bien" finds "Tân Biên")',
  }),
});
export type DeviceListQuery = z.infer<typeof DeviceListQuerySchema>;

const CURSOR_PREFIX = 'd1:';

/** Opaque to clients; carries the last id of the page so the next starts after it even if that one is gone. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${lastId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!text.startsWith(CURSOR_PREFIX) || text.length === CURSOR_PREFIX.length)
    throw new HttpError(400, 'invalid-request', 'cursor: not a cursor this API gave out', 'cursor');
  return text.slice(CURSOR_PREFIX.length);
}

/** Whether every word of the folded query appears in the folded id and name. */
export function matchesText(folded: string, search: string): boolean {
  if (folded === '') return true;
  return folded.split(' ').every((word) => search.includes(word));
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

/**
 * One page of the matching items, which must come sorted by id: those after `after`, at most `limit`.
 * `total` counts every match, wherever the cursor stands.
 */
export function pageOf<T>(
  sorted: readonly T[],
  idOf: (item: T) => string,
  matches: (item: T) => boolean,
  after: string | undefined,
  limit: number,
): Page<T> {
  const items: T[] = [];
  let total = 0;
  let more = false;
  for (const item of sorted) {
    if (!matches(item)) continue;
    total++;
    if (after !== undefined && idOf(item) <= after) continue;
    if (items.length < limit) items.push(item);
    else more = true;
  }
  const last = items.at(-1);
  return { items, nextCursor: more && last !== undefined ? encodeCursor(idOf(last)) : null, total };
}
