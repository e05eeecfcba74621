import { join } from 'node:path';
import AsyncLevelPersistence from 'aedes-persistence-level/asyncPersistence.js';
import { Level } from 'level';
import msgpack from 'msgpack-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutgoingJournal } from '../../../broker/src/server/outgoing-journal.js';
import { tempDir } from '../../harness/index.js';

interface QueuedPacket {
  cmd?: string;
  topic?: string;
  payload?: Buffer;
  qos?: number;
  brokerId?: string;
  brokerCounter?: number;
  messageId?: number;
}

/** The five calls aedes makes for QoS 1 in-flight state, as both implementations expose them. */
interface Outgoing {
  outgoingEnqueue(sub: { clientId: string }, packet: QueuedPacket): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: QueuedPacket): Promise<unknown>;
  outgoingUpdate(client: { id: string }, packet: QueuedPacket): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: QueuedPacket): Promise<QueuedPacket | undefined>;
  outgoingStream(client: { id: string }): AsyncIterable<QueuedPacket>;
}

const opened: Level<string, Buffer>[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) if (db.status === 'open') await db.close();
});

async function openDb(): Promise<Level<string, Buffer>> {
  const db = new Level<string, Buffer>(join(await tempDir('journal-'), 'db'), { valueEncoding: 'buffer' });
  await db.open();
  opened.push(db);
  return db;
}

async function dump(db: Level<string, Buffer>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for await (const [key, value] of db.iterator()) out[key] = msgpack.decode(value);
  return out;
}

async function drain(stream: AsyncIterable<QueuedPacket>): Promise<QueuedPacket[]> {
  const out: QueuedPacket[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

const publish = (counter: number, text: string): QueuedPacket => ({
  cmd: 'publish',
  topic: 'xs-test/t',
  payload: Buffer.from(text),
  qos: 1,
  brokerId: 'broker-a',
  brokerCounter: counter,
});

/** What aedes does for two persistent sessions: one online (deliver, PUBACK), one offline (queued). */
async function lifecycle(store: Outgoing): Promise<QueuedPacket[]> {
  const online = { id: 'svc/console' };
  const offline = { id: 'spk-01' };
  for (let i = 1; i <= 6; i++) {
    const p = publish(i, `m${i}`);
    await store.outgoingEnqueueCombi([{ clientId: online.id }, { clientId: offline.id }], p);
    await store.outgoingUpdate(online, { ...p, messageId: i });
    if (i % 2 === 0) await store.outgoingClearMessageId(online, { messageId: i });
  }
  await store.outgoingEnqueue({ clientId: offline.id }, publish(7, 'm7'));
  // A redelivery on reconnect: aedes knows only the message id, the store supplies the broker's counter.
  await store
    .outgoingUpdate(offline, {
      ...publish(0, 'm1'),
      brokerId: undefined,
      brokerCounter: undefined,
      messageId: 1,
    })
    .catch((err: Error) => err.message);
  await store.outgoingUpdate(offline, { ...publish(1, 'm1'), messageId: 41 });
  await store.outgoingUpdate(offline, {
    ...publish(1, 'm1'),
    brokerId: undefined,
    brokerCounter: undefined,
    messageId: 41,
  });
  return drain(store.outgoingStream(offline));
}

/** Every LevelDB batch, whichever way it is issued: batch() and the journal's direct path both end in `_batch`. */
function levelBatches(db: Level<string, Buffer>) {
  return vi.spyOn(db as unknown as { _batch: (ops: unknown[], options: object) => Promise<void> }, '_batch');
}

describe('OutgoingJournal: the QoS 1 in-flight state of persistent sessions', () => {
  it('leaves LevelDB exactly as aedes-persistence-level does for the same calls', async () => {
    const libraryDb = await openDb();
    const journalDb = await openDb();
    const library = new AsyncLevelPersistence(libraryDb) as unknown as Outgoing;
    const journal = new OutgoingJournal(journalDb);
    await journal.load();
    const fromLibrary = await lifecycle(library);
    const fromJournal = await lifecycle(journal);
    expect(fromJournal).toEqual(fromLibrary);
    expect(fromJournal.map((p) => p.payload?.toString())).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    expect(await dump(journalDb)).toEqual(await dump(libraryDb));
    expect(Object.keys(await dump(journalDb)).some((k) => k.startsWith('outgoing-id:svc%2Fconsole'))).toBe(
      true,
    );
  });

  it('reads what the library stored before an upgrade, and the library reads what the journal stored', async () => {
    const db = await openDb();
    const library = new AsyncLevelPersistence(db) as unknown as Outgoing;
    const client = { id: 'spk-02' };
    await library.outgoingEnqueue({ clientId: client.id }, publish(1, 'old'));
    await library.outgoingUpdate(client, { ...publish(1, 'old'), messageId: 9 });
    const journal = new OutgoingJournal(db);
    expect((await journal.outgoingClearMessageId(client, { messageId: 9 }))?.brokerCounter).toBe(1);
    await journal.outgoingEnqueue({ clientId: client.id }, publish(2, 'new'));
    await journal.settled();
    expect((await drain(library.outgoingStream(client))).map((p) => p.payload?.toString())).toEqual(['new']);
    expect(await library.outgoingClearMessageId(client, { messageId: 9 })).toBeUndefined();
  });

  it('writes the calls of one event-loop turn in one LevelDB batch; an enqueue resolves once it is written', async () => {
    const db = await openDb();
    const journal = new OutgoingJournal(db);
    const batches = levelBatches(db);
    const subs = Array.from({ length: 500 }, (_, i) => ({ clientId: `spk-${i}` }));
    await Promise.all(subs.map((sub, i) => journal.outgoingEnqueue(sub, publish(i + 1, `p${i}`))));
    expect(batches).toHaveBeenCalledTimes(1);
    expect(Object.keys(await dump(db))).toHaveLength(500);
    // Recording and clearing deliveries answer from memory at once and land together in the next batch.
    await Promise.all(
      subs.map((sub, i) =>
        journal.outgoingUpdate({ id: sub.clientId }, { ...publish(i + 1, 'x'), messageId: 1 }),
      ),
    );
    await Promise.all(
      subs.map((sub) => journal.outgoingClearMessageId({ id: sub.clientId }, { messageId: 1 })),
    );
    expect(batches).toHaveBeenCalledTimes(1);
    await journal.settled();
    expect(batches).toHaveBeenCalledTimes(2);
    expect(await dump(db)).toEqual({});
  });

  it('stays correct when its memory is smaller than the queues (reads fall back to LevelDB)', async () => {
    const db = await openDb();
    const journal = new OutgoingJournal(db, { cacheLimit: 10 });
    const client = { id: 'spk-03' };
    for (let i = 1; i <= 40; i++) await journal.outgoingEnqueue({ clientId: client.id }, publish(i, `q${i}`));
    for (let i = 1; i <= 40; i++)
      await journal.outgoingUpdate(client, { ...publish(i, `q${i}`), messageId: i });
    for (let i = 1; i <= 40; i += 2)
      expect((await journal.outgoingClearMessageId(client, { messageId: i }))?.brokerCounter).toBe(i);
    const left = await drain(journal.outgoingStream(client));
    expect(left.map((p) => p.brokerCounter)).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i + 2));
  });

  it('once loaded, never writes a delivery record cleared before its batch, and still clears older ones', async () => {
    const db = await openDb();
    const client = { id: 'svc/console' };
    // A record left by an earlier run (message id 7), as the library would have left it.
    const library = new AsyncLevelPersistence(db) as unknown as Outgoing;
    await library.outgoingEnqueue({ clientId: client.id }, publish(100, 'old'));
    await library.outgoingUpdate(client, { ...publish(100, 'old'), messageId: 7 });
    const journal = new OutgoingJournal(db);
    await journal.load();
    const batches = levelBatches(db);
    for (let i = 1; i <= 8; i++) await journal.outgoingEnqueue({ clientId: client.id }, publish(i, `n${i}`));
    for (let i = 1; i <= 8; i++)
      await journal.outgoingUpdate(client, { ...publish(i, `n${i}`), messageId: i });
    // Message 7's old record is superseded by the new delivery; its clear must still reach LevelDB.
    for (let i = 1; i <= 8; i++) await journal.outgoingClearMessageId(client, { messageId: i });
    await journal.settled();
    const written = batches.mock.calls
      .slice(1)
      .flatMap((call) =>
        ((call as unknown[])[0] as { type: string; key: string }[]).map((op) => `${op.type} ${op.key}`),
      );
    expect(written.filter((op) => op.includes('outgoing-id:'))).toEqual([
      `del outgoing-id:svc%2Fconsole:${'7'.padStart(16, '0')}`,
    ]);
    expect(written.filter((op) => op.startsWith('del outgoing:'))).toHaveLength(8);
    // Only the library's own queued record remains (its id record was replaced and then cleared).
    expect(Object.keys(await dump(db))).toEqual([
      `outgoing:svc%2Fconsole:broker-a:${'100'.padStart(16, '0')}`,
    ]);
    expect(await journal.outgoingClearMessageId(client, { messageId: 3 })).toBeUndefined();
  });

  it('writes the clear of a record whose earlier batch is still on its way to LevelDB', async () => {
    const db = await openDb();
    const journal = new OutgoingJournal(db);
    await journal.load();
    const client = { id: 'spk-05' };
    await journal.outgoingEnqueue({ clientId: client.id }, publish(1, 'a'));
    await journal.outgoingUpdate(client, { ...publish(1, 'a'), messageId: 5 });
    await journal.settled();
    // Message id 5 is in LevelDB now; a new delivery reusing it, cleared at once, must delete it there.
    await journal.outgoingEnqueue({ clientId: client.id }, publish(2, 'b'));
    await journal.outgoingUpdate(client, { ...publish(2, 'b'), messageId: 5 });
    await journal.outgoingClearMessageId(client, { messageId: 5 });
    await journal.settled();
    expect(Object.keys(await dump(db))).toEqual([`outgoing:spk-05:broker-a:${'1'.padStart(16, '0')}`]);
    expect(await drain(journal.outgoingStream(client))).toMatchObject([{ brokerCounter: 1, messageId: 5 }]);
  });

  it('rejects an enqueue LevelDB refuses, reports the failure, and then answers from LevelDB again', async () => {
    const db = await openDb();
    const writeErrors: unknown[] = [];
    const journal = new OutgoingJournal(db, { onWriteError: (err) => writeErrors.push(err) });
    const client = { id: 'spk-04' };
    await journal.outgoingEnqueue({ clientId: client.id }, publish(1, 'kept'));
    levelBatches(db).mockRejectedValueOnce(new Error('disk full'));
    await expect(journal.outgoingEnqueue({ clientId: client.id }, publish(2, 'lost'))).rejects.toThrow(
      'disk full',
    );
    expect((await drain(journal.outgoingStream(client))).map((p) => p.payload?.toString())).toEqual(['kept']);
    await expect(journal.outgoingUpdate(client, { ...publish(2, 'lost'), messageId: 2 })).rejects.toThrow(
      'no such packet',
    );
  });
});
