import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type { Level } from 'level';
import { RetainedIndex } from './retained-index.js';

// aedes-persistence-level's own layout: `retained:<topic>` keys holding msgpack-encoded packets.
const RETAINED = 'retained:';
const RETAINED_RANGE = { gte: RETAINED, lt: 'retained;' };

interface StoredPacket {
  topic: string;
  payload: Buffer;
}

// Decoded with the persistence's own msgpack, resolved from its install, so the two can never disagree.
const requireHere = createRequire(import.meta.url);
const msgpack = createRequire(requireHere.resolve('aedes-persistence-level'))('msgpack-lite') as {
  decode(buf: Buffer): unknown;
};

function isStoredPacket(value: unknown): value is StoredPacket {
  return (
    typeof value === 'object' &&
    value !== null &&
    'topic' in value &&
    typeof value.topic === 'string' &&
    'payload' in value &&
    Buffer.isBuffer(value.payload)
  );
}

export interface RetainedPersistence {
  storeRetained(packet: StoredPacket): Promise<void>;
  createRetainedStream(pattern: string): Readable;
  createRetainedStreamCombi(patterns: string[]): Readable;
}

/**
 * aedes-persistence-level answers every SUBSCRIBE by decoding every retained message and testing its
 * topic; with 200 gateways each subscribing on connect that is 200 full scans. This keeps an index of
 * the retained topics (loaded at start, updated after each write) and reads only the matching keys.
 */
export async function indexRetained(
  raw: RetainedPersistence,
  db: Level<string, string>,
): Promise<RetainedIndex> {
  const index = new RetainedIndex();
  for await (const key of db.keys(RETAINED_RANGE)) index.add(key.slice(RETAINED.length));

  const store = raw.storeRetained.bind(raw);
  raw.storeRetained = async (packet) => {
    await store(packet);
    if (packet.payload.length === 0) index.delete(packet.topic);
    else index.add(packet.topic);
  };

  async function* matching(patterns: string[]): AsyncGenerator<StoredPacket> {
    for (const pattern of patterns) {
      for (const topic of index.match(pattern)) {
        if (db.status !== 'open') return;
        const blob = await db.get<string, Buffer>(`${RETAINED}${topic}`, { valueEncoding: 'buffer' });
        // Deleted since the index was read: nothing to send, as a scan would have found nothing.
        if (blob === undefined) continue;
        const packet = msgpack.decode(blob);
        if (isStoredPacket(packet)) yield packet;
      }
    }
  }
  raw.createRetainedStreamCombi = (patterns) => Readable.from(matching(patterns));
  raw.createRetainedStream = (pattern) => Readable.from(matching([pattern]));
  return index;
}
