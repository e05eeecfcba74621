/** Exponential back-off with jitter: a fleet of collectors does not retry in lockstep. */
export function backoffDelay(failures: number, minMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** A server's Retry-After wins over our own schedule (bounded to an hour against a broken header). */
export function retryDelay(
  failures: number,
  retryAfterMs: number | null,
  minMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const own = backoffDelay(failures, minMs, maxMs, random);
  return retryAfterMs === null ? own : Math.min(Math.max(retryAfterMs, 0), 3_600_000);
}
