import { Readable } from 'node:stream';
import Packet from 'aedes-packet';
import type { Level } from 'level';
import msgpack from 'msgpack-lite';
import { type EncodedWrite, batchEncoded } from './level-batch.js';
import {
  isOutgoingByIdKey,
  outgoingByClientKey,
  outgoingByIdKey,
  outgoingByIdRange,
  outgoingKey,
  prefixRange,
} from './outgoing-keys.js';
import { type QueuedPacket, StoredPacket } from './stored-packet.js';

interface SessionClient {
  id: string;
}

type WriteOp = { type: 'put'; key: string; value: StoredPacket } | { type: 'del'; key: string };

/**
 * A key this process wrote: its latest bytes (null = deleted), their ids beside them so a lookup decodes
 * nothing, and the batch that carries that state.
 */
interface Known {
  value: StoredPacket | null;
  ids: QueuedPacket;
  /** Sequence number of the batch carrying this state: PENDING until one does, SETTLED once it is in LevelDB. */
  batch: number;
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

const SETTLED = -1;
const PENDING = -2;
/**
 * How long delivery bookkeeping is held back from LevelDB: long enough for the subscriber's PUBACK to clear
 * most records first, so a delivery to an online session costs one put and one delete, not five writes.
 */
const BOOKKEEPING_WINDOW_MS = 200;
const BUFFER = { valueEncoding: 'buffer' } as const;

/**
 * The QoS 1 in-flight state of persistent sessions (aedes' `outgoing*` calls), in the same LevelDB keys and
 * encoding as aedes-persistence-level, but without its read-modify-write round trips: every write of one
 * event-loop turn goes to LevelDB in one batch, and reads of state this process wrote are served from memory.
 *
 * Enqueueing (a message a session must still get) resolves only once it is in LevelDB: the publisher's PUBACK
 * waits for it. Recording a delivery's message id and clearing it on PUBACK resolve at once: aedes handles a
 * client's packets one at a time, so waiting for a batch there would pace every PUBACK of a busy service
 * session to the disk. Those writes are held back for a short window, in which an online subscriber's PUBACK
 * usually cancels them. Losing such a write in a crash can only make a message be delivered again (QoS 1 is at
 * least once; every consumer deduplicates), never lost.
 */
export class OutgoingJournal {
  private readonly known = new Map<string, Known>();
  /** The next batch: the last write per key (LevelDB applies a batch atomically, so order across keys is moot). */
  private next = new Map<string, WriteOp>();
  /**
   * Delivery bookkeeping, each write held for the window from when it was made (oldest first); a key with a
   * write in `next` stays there, to keep its order.
   */
  private held = new Map<string, { op: WriteOp; at: number }>();
  private nextBatch = 0;
  private waiters: Waiter[] = [];
  private immediate = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /**
   * Message-id keys LevelDB may hold (found by load(), or in a batch already issued): a delivery record put
   * and cleared within one batch whose key is not here never needs to reach LevelDB. Trusted once loaded.
   */
  private readonly idKeysInDb = new Set<string>();
  private idKeysLoaded = false;

  constructor(
    private readonly db: Level<string, Buffer>,
    private readonly options: { cacheLimit?: number; onWriteError?: (err: unknown) => void } = {},
  ) {}

  /** Learns which message-id keys LevelDB holds, so delivery records cleared before their batch cost nothing. */
  async load(): Promise<void> {
    for await (const key of this.db.keys(outgoingByIdRange())) this.idKeysInDb.add(key);
    this.idKeysLoaded = true;
  }

  async outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<void> {
    const queued = new StoredPacket(new Packet(packet) as QueuedPacket);
    this.put(
      outgoingKey(sub.clientId, packet.brokerId, packet.brokerCounter),
      queued,
      idsOf(queued.packet),
      true,
    );
    await this.durable();
  }

  async outgoingEnqueueCombi(
    subs: { clientId: string }[] | undefined,
    packet: QueuedPacket,
  ): Promise<unknown> {
    if (!subs || subs.length === 0) return packet;
    // One Packet for every subscriber: they share the same encoded bytes, as the library's copies would.
    const value = new StoredPacket(new Packet(packet) as QueuedPacket);
    const ids = idsOf(value.packet);
    for (const sub of subs)
      this.put(outgoingKey(sub.clientId, packet.brokerId, packet.brokerCounter), value, ids, true);
    await this.durable();
    return undefined;
  }

  async outgoingUpdate(client: SessionClient, packet: QueuedPacket): Promise<void> {
    if (!packet.brokerId) {
      const byId = await this.lookup(outgoingByIdKey(client.id, packet.messageId));
      if (!byId) throw new Error('no such packet');
      packet.brokerId = byId.brokerId;
      packet.brokerCounter = byId.brokerCounter;
    }
    const prekey = outgoingKey(client.id, packet.brokerId, packet.brokerCounter);
    const queued = await this.lookup(prekey);
    if (!queued) throw new Error('no such packet');
    if ((queued.messageId ?? 0) > 0) this.del(outgoingByIdKey(client.id, queued.messageId));
    // A copy: aedes goes on using its packet, and the record must hold what it was when delivered.
    const value = new StoredPacket({ ...packet });
    const ids = idsOf(value.packet);
    this.put(outgoingByIdKey(client.id, packet.messageId), value, ids, false);
    this.put(prekey, value, ids, false);
    this.bookkeeping();
  }

  async outgoingClearMessageId(
    client: SessionClient,
    packet: QueuedPacket,
  ): Promise<QueuedPacket | undefined> {
    const key = outgoingByIdKey(client.id, packet.messageId);
    const stored = await this.read(key);
    if (!stored) return undefined;
    this.del(key);
    this.del(outgoingKey(client.id, stored.brokerId, stored.brokerCounter));
    this.bookkeeping();
    return stored;
  }

  /** A session's queue in key order, read from LevelDB once every write issued before it has landed. */
  outgoingStream(client: SessionClient): Readable {
    const settled = this.settled();
    const db = this.db;
    return Readable.from(
      (async function* queue() {
        await settled;
        for await (const blob of db.values({ ...prefixRange(outgoingByClientKey(client.id)), ...BUFFER }))
          yield msgpack.decode(blob) as QueuedPacket;
      })(),
    );
  }

  /** Resolves when every write issued so far is in LevelDB. */
  async settled(): Promise<void> {
    if (this.next.size > 0 || this.held.size > 0) await this.durable(true);
    await this.writing;
  }

  /** The ids of a stored packet: from memory when this process wrote it, else from LevelDB. */
  private async lookup(key: string): Promise<QueuedPacket | undefined> {
    const known = this.known.get(key);
    if (known) return known.value === null ? undefined : known.ids;
    const stored = await this.fromDb(key);
    return stored && idsOf(stored);
  }

  private async read(key: string): Promise<QueuedPacket | undefined> {
    const known = this.known.get(key);
    if (known) return known.value === null ? undefined : known.value.copy();
    return this.fromDb(key);
  }

  private async fromDb(key: string): Promise<QueuedPacket | undefined> {
    const blob = await this.db.get(key, BUFFER);
    // A write that arrived while LevelDB was read is newer than what it returned.
    const raced = this.known.get(key);
    if (raced) return raced.value === null ? undefined : raced.value.copy();
    return blob === undefined ? undefined : (msgpack.decode(blob) as QueuedPacket);
  }

  private put(key: string, value: StoredPacket, ids: QueuedPacket, urgent: boolean): void {
    this.remember(key, value, ids);
    this.queue({ type: 'put', key, value }, urgent);
  }

  private del(key: string): void {
    if ((this.next.get(key) ?? this.held.get(key)?.op)?.type === 'put' && this.neverInDb(key)) {
      // Put and cleared before any batch carried it: LevelDB never sees the key, and reads find it absent there.
      this.next.delete(key);
      this.held.delete(key);
      this.known.delete(key);
      return;
    }
    this.remember(key, null, {});
    this.queue({ type: 'del', key }, false);
  }

  private queue(op: WriteOp, urgent: boolean): void {
    if (urgent || this.next.has(op.key)) {
      this.held.delete(op.key);
      this.next.set(op.key, op);
    } else {
      // Re-inserted so the map stays in order of age.
      this.held.delete(op.key);
      this.held.set(op.key, { op, at: performance.now() });
    }
  }

  private neverInDb(key: string): boolean {
    return this.idKeysLoaded && isOutgoingByIdKey(key) && !this.idKeysInDb.has(key);
  }

  private remember(key: string, value: StoredPacket | null, ids: QueuedPacket): void {
    const known = this.known.get(key);
    if (!known) this.known.set(key, { value, ids, batch: PENDING });
    else {
      known.value = value;
      known.ids = ids;
      known.batch = PENDING;
    }
  }

  /** Written with the next batch, which starts as soon as the event loop has gathered this turn's writes. */
  private durable(withHeld = false): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (withHeld) this.flush(Number.POSITIVE_INFINITY);
    else if (!this.immediate) {
      this.immediate = true;
      setImmediate(() => this.flush(Number.NEGATIVE_INFINITY));
    }
    return done;
  }

  /** Written with the next batch, which may wait a few milliseconds: a PUBACK often clears it before then. */
  private bookkeeping(): void {
    if (this.timer) return;
    const oldest = this.held.values().next().value;
    if (!oldest) return;
    const wait = Math.max(0, oldest.at + BOOKKEEPING_WINDOW_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush(performance.now() - BOOKKEEPING_WINDOW_MS);
      this.bookkeeping();
    }, wait);
  }

  /** Writes `next` and the held writes made at or before `heldUntil` (performance.now() time) in one batch. */
  private flush(heldUntil: number): void {
    if (heldUntil === Number.POSITIVE_INFINITY && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.immediate = false;
    const batch = this.nextBatch++;
    const ops = [...this.next.values()];
    for (const [key, held] of this.held) {
      if (held.at > heldUntil) break;
      ops.push(held.op);
      this.held.delete(key);
    }
    if (ops.length === 0 && this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.next = new Map();
    this.waiters = [];
    const levelOps = ops.map((op): EncodedWrite => {
      const known = this.known.get(op.key);
      if (known) known.batch = batch;
      if (op.type === 'del') return op;
      // Issued is enough: from here on LevelDB may hold the key, whatever the batch's fate.
      if (isOutgoingByIdKey(op.key)) this.idKeysInDb.add(op.key);
      return { type: 'put' as const, key: op.key, value: op.value.encoded() };
    });
    // Batches go to LevelDB one after another, so a later state of a key never lands before an earlier one.
    this.writing = this.writing.then(async () => {
      try {
        if (levelOps.length > 0) await batchEncoded(this.db, levelOps);
        this.settle(ops, batch, false);
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.settle(ops, batch, true);
        this.options.onWriteError?.(err);
        for (const w of waiters) w.reject(err);
      }
    });
  }

  /** After a batch: what it carried is in LevelDB (or failed, and LevelDB is the truth again). */
  private settle(ops: WriteOp[], batch: number, failed: boolean): void {
    for (const op of ops) {
      const known = this.known.get(op.key);
      // A later batch holds a newer state of this key: that one decides.
      if (!known || known.batch !== batch) continue;
      if (!failed && known.value === null) this.idKeysInDb.delete(op.key);
      if (failed || known.value === null) this.known.delete(op.key);
      else known.batch = SETTLED;
    }
    const limit = this.options.cacheLimit ?? 50_000;
    if (this.known.size <= limit) return;
    for (const [key, known] of this.known) {
      if (this.known.size <= limit * 0.9) break;
      if (known.batch === SETTLED) this.known.delete(key);
    }
  }
}

function idsOf(packet: QueuedPacket): QueuedPacket {
  return { brokerId: packet.brokerId, brokerCounter: packet.brokerCounter, messageId: packet.messageId };
}
