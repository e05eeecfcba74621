import type { ConsoleContext, SessionUser } from '../app/env.js';
import { BroadcastError } from './errors.js';

/**
 * A broadcast may name only audio that exists and that its sender may see (province items, shared ones, and
 * their own areas'); `at` is the request field the error names.
 */
export function assertUsableAudio(
  audio: ConsoleContext['audio'],
  user: SessionUser,
  id: string,
  at: string,
): void {
  if (!audio.get(id)) throw new BroadcastError(422, `${at}: no audio item ${id} in the library`, at);
  if (audio.usableBy?.(user, id) === false)
    throw new BroadcastError(403, `${at}: audio item ${id} is another area's own recording`, at);
}
