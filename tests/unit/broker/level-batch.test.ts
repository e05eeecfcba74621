import { join } from 'node:path';
import { Level } from 'level';
import { describe, expect, it, vi } from 'vitest';
import { batchEncoded } from '../../../broker/src/server/level-batch.js';
import { tempDir } from '../../harness/index.js';

const BUFFER = { valueEncoding: 'buffer' } as const;

async function openDb(): Promise<Level<string, Buffer>> {
  const db = new Level<string, Buffer>(join(await tempDir('xs-level-batch-'), 'db'));
  await db.open();
  return db;
}

describe('writing encoded batches to LevelDB', () => {
  it('lands puts and deletes exactly as batch() does', async () => {
    const ours = await openDb();
    const theirs = await openDb();
    const writes = [
      { type: 'put' as const, key: 'outgoing:a:1', value: Buffer.from([1, 2, 3]) },
      { type: 'put' as const, key: 'outgoing:cụm-2:2', value: Buffer.alloc(70_000, 7) },
      { type: 'put' as const, key: 'outgoing-id:a:9', value: Buffer.from('x') },
    ];
    const publicBatch = vi.spyOn(ours, 'batch');
    await batchEncoded(ours, writes);
    await theirs.batch(writes, BUFFER);
    const dels = [
      { type: 'del' as const, key: 'outgoing-id:a:9' },
      { type: 'del' as const, key: 'absent' },
    ];
    await batchEncoded(ours, dels);
    await theirs.batch(dels, BUFFER);
    // The open database with no hooks or listeners took the direct path.
    expect(publicBatch).not.toHaveBeenCalled();
    const all = async (db: Level<string, Buffer>) => db.iterator(BUFFER).all();
    expect(await all(ours)).toEqual(await all(theirs));
    expect((await all(ours)).map(([k]) => k)).toEqual(['outgoing:a:1', 'outgoing:cụm-2:2']);
    await Promise.all([ours.close(), theirs.close()]);
  });

  it('goes through batch() when someone listens for writes, or the database is still opening', async () => {
    const db = await openDb();
    const seen: unknown[] = [];
    const listener = (ops: unknown[]) => seen.push(...ops);
    db.on('write', listener);
    await batchEncoded(db, [{ type: 'put', key: 'k1', value: Buffer.from('v') }]);
    expect(seen).toHaveLength(1);
    db.off('write', listener);
    await db.close();
    const reopening = new Level<string, Buffer>(db.location);
    const opened = reopening.open();
    await batchEncoded(reopening, [{ type: 'put', key: 'k2', value: Buffer.from('w') }]);
    await opened;
    expect((await reopening.keys().all()).sort()).toEqual(['k1', 'k2']);
    await reopening.close();
  });
});
