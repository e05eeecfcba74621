/**
 * mqemitter queues messages beyond its concurrency and, when a delivery finishes synchronously, starts the
 * next queued one from inside that finish (`released` → `_do`): with thousands queued (an emergency's ack
 * storm at 10,000 clusters) the chain overflows the stack and kills the broker. This caps the synchronous
 * depth; beyond it the next delivery starts on a fresh stack.
 */
const MAX_SYNC_DEPTH = 64;

/** What this relies on of MQEmitter (and mqemitter-redis, which extends it). */
interface QueuedEmitter {
  _do(message: unknown, callback: unknown): unknown;
}

export function boundSyncDepth<T extends object>(mq: T): T {
  const emitter = mq as unknown as QueuedEmitter;
  if (typeof emitter._do !== 'function') throw new Error('this mqemitter has no _do: check the version');
  const start = emitter._do.bind(mq);
  let depth = 0;
  emitter._do = (message, callback) => {
    if (depth >= MAX_SYNC_DEPTH) {
      setImmediate(() => emitter._do(message, callback));
      return mq;
    }
    depth++;
    try {
      return start(message, callback);
    } finally {
      depth--;
    }
  };
  return mq;
}
