import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { migrate, openDatabase } from '@xaso/broker';
import type { SqliteDatabase } from '@xaso/broker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../console/src/app/env.js';
import { SqliteAreaDirectory } from '../../../console/src/areas/area-directory.js';
import { AudioLibrary } from '../../../console/src/audio/index.js';
import { AUDIO_NAMESPACE, audioMigrations } from '../../../console/src/audio/migrations.js';
import { migrateConsole } from '../../../console/src/db/migrations.js';
import { tempDir } from '../../harness/index.js';

const OLD_ID = 'a'.repeat(64);
let dir: string;
let db: SqliteDatabase;

const user = (areaIds: string[]): SessionUser => ({
  id: 'u',
  username: 'u',
  displayName: 'u',
  roles: ['operator'],
  areaIds,
});

beforeAll(async () => {
  dir = await tempDir('xaso-audio-scope-migration');
  db = openDatabase(join(dir, 'registry.sqlite'));
  migrateConsole(db);
  const areas = new SqliteAreaDirectory(db);
  areas.create({ id: 'tinh', parentId: null, name: 'Tỉnh', kind: 'province', requiresApproval: false });
  areas.create({ id: 'xa-a', parentId: 'tinh', name: 'Xã A', kind: 'commune', requiresApproval: false });
  // A library written before items had owners: only version 1 of the audio schema, one item in it.
  migrate(db, AUDIO_NAMESPACE, audioMigrations.slice(0, 1));
  db.prepare(
    `INSERT INTO audio_items (id, original_sha256, title, language, tags, search_text, source, format, codec,
       duration_ms, sample_rate, channels, bytes, loudness_status, uploaded_by, created_at, updated_at)
     VALUES (?, ?, 'Bản tin cũ', 'vi', '[]', 'ban tin cu', 'upload', 'mp3', 'mp3', 3000, 22050, 1, 1000,
       'not-normalised', 'op-cu', 1, 1)`,
  ).run(OLD_ID, OLD_ID);
});

afterAll(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the audio owner-area migration', () => {
  it('makes existing items province-level: everyone sees them, only province staff change them', async () => {
    const areas = new SqliteAreaDirectory(db);
    const library = await AudioLibrary.open({ db, dataDir: dir, log: pino({ level: 'silent' }), areas });
    const applied = db
      .prepare('SELECT version, name FROM schema_migrations WHERE namespace = ? ORDER BY version')
      .all(AUDIO_NAMESPACE);
    expect(applied).toEqual([
      { version: 1, name: 'audio items' },
      { version: 2, name: 'audio owner area' },
    ]);
    const item = library.record(OLD_ID);
    expect(item).toMatchObject({ title: 'Bản tin cũ', ownerAreaId: null, shared: false });
    if (item === undefined) throw new Error('the old item is gone');
    expect(library.scope.sees(user(['xa-a']), item)).toBe(true);
    expect(library.scope.manages(user(['xa-a']), item)).toBe(false);
    expect(library.scope.manages(user(['tinh']), item)).toBe(true);
    expect(library.usableBy(user(['xa-a']), OLD_ID)).toBe(true);
    const listed = library.list({
      limit: 10,
      offset: 0,
      scope: 'shared',
      visibility: library.scope.visibility(user(['xa-a'])),
    });
    expect(listed.items.map((i) => i.id)).toEqual([OLD_ID]);
  });
});
