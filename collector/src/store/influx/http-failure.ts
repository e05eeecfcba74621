import { StoreWriteError } from '../types.js';

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** 429, 5xx and 404 (a database or bucket being recreated) are worth retrying; other 4xx are not. */
export function writeFailure(
  status: number,
  body: string,
  retryAfter: string | null | undefined,
): StoreWriteError {
  const retryable = status === 404 || status === 408 || status === 429 || status >= 500;
  return new StoreWriteError(
    `write rejected with HTTP ${status}: ${body.slice(0, 300)}`,
    retryable,
    parseRetryAfter(retryAfter),
    status,
  );
}

/** Network failures (refused, reset, timeout) are always retryable; the text names the system error. */
export function networkFailure(err: unknown): StoreWriteError {
  const e = err as { code?: unknown; message?: string; cause?: { code?: unknown; message?: string } };
  const code = typeof e.cause?.code === 'string' ? e.cause.code : typeof e.code === 'string' ? e.code : null;
  const detail = code ?? e.cause?.message ?? e.message ?? String(err);
  return new StoreWriteError(`cannot reach the database: ${detail}`, true);
}
