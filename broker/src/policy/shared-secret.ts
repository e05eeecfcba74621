import { createHash, timingSafeEqual } from 'node:crypto';

/** True when no secret is configured, or the header carries exactly `Bearer <secret>`. */
export function bearerMatches(header: string | undefined, secret: string | undefined): boolean {
  if (secret === undefined) return true;
  if (header === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header), digest(`Bearer ${secret}`));
}
