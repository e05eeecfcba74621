import { Readable } from 'node:stream';
import Packet from 'aedes-packet';
import type { Level } from 'level';
import msgpack from 'msgpack-lite';
import { outgoingByClientKey, outgoingByIdKey, outgoingKey, prefixRange } from './outgoing-keys.js';

interface QueuedPacket {
  brokerId?: string;
  brokerCounter?: number;
  messageId?: number;
}

interface SessionClient {
  id: string;
}

type WriteOp = { type: 'put'; key: string; value: Buffer } | { type: 'del'; key: string };

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

const BUFFER = { valueEncoding: 'buffer' } as const;

/**
 * The QoS 1 in-flight state of persistent sessions (aedes' `outgoing*` calls), in the same LevelDB keys and
 * encoding as aedes-persistence-level, but without its read-modify-write round trips: every write of one
 * event-loop turn goes to LevelDB in one batch, and reads of state this process wrote are served from memory.
 *
 * Enqueueing (a message a session must still get) resolves only once it is in LevelDB: the publisher's PUBACK
 * waits for it. Recording a delivery's message id and clearing it on PUBACK resolve at once: aedes handles a
 * client's packets one at a time, so waiting for a batch there would pace every PUBACK of a busy service
 * session to the disk. Losing such a write in a crash can only make a message be delivered again (QoS 1 is at
 * least once; every consumer deduplicates), never lost.
 */
export class OutgoingJournal {
  /** Latest value of keys this process wrote: a buffer, or null for a deletion not yet settled. */
  private readonly known = new Map<string, Buffer | null>();
  /** Writes per key still waiting for their batch: such a key must not be evicted from `known`. */
  private readonly unsettled = new Map<string, number>();
  private ops: WriteOp[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Level<string, Buffer>,
    private readonly options: { cacheLimit?: number; onWriteError?: (err: unknown) => void } = {},
  ) {}

  async outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<void> {
    await this.commit([
      this.put(outgoingKey(sub.clientId, packet.brokerId, packet.brokerCounter), new Packet(packet)),
    ]);
  }

  async outgoingEnqueueCombi(
    subs: { clientId: string }[] | undefined,
    packet: QueuedPacket,
  ): Promise<unknown> {
    if (!subs || subs.length === 0) return packet;
    // One Packet for every subscriber: they share the same encoded bytes, as the library's copies would.
    const value = msgpack.encode(new Packet(packet));
    await this.commit(
      subs.map((sub) =>
        this.putEncoded(outgoingKey(sub.clientId, packet.brokerId, packet.brokerCounter), value),
      ),
    );
    return undefined;
  }

  async outgoingUpdate(client: SessionClient, packet: QueuedPacket): Promise<void> {
    if (!packet.brokerId) {
      const byId = await this.read(outgoingByIdKey(client.id, packet.messageId));
      if (!byId) throw new Error('no such packet');
      packet.brokerId = byId.brokerId;
      packet.brokerCounter = byId.brokerCounter;
    }
    const prekey = outgoingKey(client.id, packet.brokerId, packet.brokerCounter);
    const queued = await this.read(prekey);
    if (!queued) throw new Error('no such packet');
    const ops: WriteOp[] = [];
    if ((queued.messageId ?? 0) > 0) ops.push(this.del(outgoingByIdKey(client.id, queued.messageId)));
    const value = msgpack.encode(packet);
    ops.push(
      this.putEncoded(outgoingByIdKey(client.id, packet.messageId), value),
      this.putEncoded(prekey, value),
    );
    this.record(ops);
  }

  async outgoingClearMessageId(
    client: SessionClient,
    packet: QueuedPacket,
  ): Promise<QueuedPacket | undefined> {
    const key = outgoingByIdKey(client.id, packet.messageId);
    const stored = await this.read(key);
    if (!stored) return undefined;
    this.record([this.del(key), this.del(outgoingKey(client.id, stored.brokerId, stored.brokerCounter))]);
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
    if (this.ops.length > 0) await this.commit([]);
    await this.writing;
  }

  private async read(key: string): Promise<QueuedPacket | undefined> {
    const cached = this.known.get(key);
    if (cached !== undefined) return cached === null ? undefined : (msgpack.decode(cached) as QueuedPacket);
    const blob = await this.db.get(key, BUFFER);
    // A write that arrived while LevelDB was read is newer than what it returned.
    const raced = this.known.get(key);
    if (raced !== undefined) return raced === null ? undefined : (msgpack.decode(raced) as QueuedPacket);
    return blob === undefined ? undefined : (msgpack.decode(blob) as QueuedPacket);
  }

  private put(key: string, value: unknown): WriteOp {
    return this.putEncoded(key, msgpack.encode(value));
  }

  private putEncoded(key: string, value: Buffer): WriteOp {
    this.remember(key, value);
    return { type: 'put', key, value };
  }

  private del(key: string): WriteOp {
    this.remember(key, null);
    return { type: 'del', key };
  }

  private remember(key: string, value: Buffer | null): void {
    this.known.set(key, value);
    this.unsettled.set(key, (this.unsettled.get(key) ?? 0) + 1);
  }

  /** Writes that must be in LevelDB before the caller goes on. */
  private commit(ops: WriteOp[]): Promise<void> {
    this.record(ops);
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Writes that go with the next batch; memory already answers with them. */
  private record(ops: WriteOp[]): void {
    for (const op of ops) this.ops.push(op);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const ops = this.ops;
    const waiters = this.waiters;
    this.ops = [];
    this.waiters = [];
    // Batches go to LevelDB one after another, so a later state of a key never lands before an earlier one.
    this.writing = this.writing.then(async () => {
      try {
        if (ops.length > 0) await this.db.batch(ops, BUFFER);
        this.settle(ops, false);
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.settle(ops, true);
        this.options.onWriteError?.(err);
        for (const w of waiters) w.reject(err);
      }
    });
  }

  /** After a batch: deletions are now in LevelDB (or failed), so memory need not remember them. */
  private settle(ops: WriteOp[], failed: boolean): void {
    for (const op of ops) {
      const left = (this.unsettled.get(op.key) ?? 1) - 1;
      if (left > 0) {
        this.unsettled.set(op.key, left);
        continue;
      }
      this.unsettled.delete(op.key);
      // On failure LevelDB is the truth again; a settled deletion needs no tombstone.
      if (failed || this.known.get(op.key) === null) this.known.delete(op.key);
    }
    const limit = this.options.cacheLimit ?? 50_000;
    if (this.known.size <= limit) return;
    for (const key of this.known.keys()) {
      if (this.known.size <= limit * 0.9) break;
      if (!this.unsettled.has(key)) this.known.delete(key);
    }
  }
}
