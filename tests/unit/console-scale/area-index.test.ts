import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '@xaso/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../console/src/app/env.js';
import { SqliteAreaDirectory } from '../../../console/src/areas/area-directory.js';
import { migrateConsole } from '../../../console/src/db/migrations.js';
import { AreaIndex } from '../../../console/src/devices/area-index.js';
import { deviceVisibleTo, visibilityFor } from '../../../console/src/devices/visibility.js';

const AREAS = [
  { id: 'tinh', parentId: null, name: 'Tỉnh', kind: 'province' },
  { id: 'xa-a', parentId: 'tinh', name: 'Xã A', kind: 'commune' },
  { id: 'xa-b', parentId: 'tinh', name: 'Xã B', kind: 'commune' },
  { id: 'ap-a1', parentId: 'xa-a', name: 'Ấp A1', kind: 'village' },
  { id: 'ap-a1-x', parentId: 'ap-a1', name: 'Tổ A1-X', kind: 'other' },
] as const;

const user = (roles: SessionUser['roles'], areaIds: string[]): SessionUser => ({
  id: 'u',
  username: 'u',
  displayName: 'u',
  roles,
  areaIds,
});

describe('AreaIndex and in-memory visibility', () => {
  let dir: string;
  let registry: Registry;
  let directory: SqliteAreaDirectory;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xs-area-index-'));
    registry = Registry.open(join(dir, 'registry.sqlite'));
    migrateConsole(registry.db);
    directory = new SqliteAreaDirectory(registry.db);
    for (const a of AREAS) directory.create({ ...a, requiresApproval: false });
  });

  afterAll(() => {
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers ancestry and subtrees as the SQLite directory does', () => {
    const index = new AreaIndex(directory.list());
    for (const a of AREAS) {
      expect(index.ancestry(a.id).map((x) => x.id)).toEqual(directory.ancestry(a.id).map((x) => x.id));
      expect([...index.subtree(a.id)].sort()).toEqual(
        directory
          .subtree(a.id)
          .map((x) => x.id)
          .sort(),
      );
    }
    expect(index.subtree('nowhere').size).toBe(0);
    expect(index.ancestry('nowhere')).toEqual([]);
  });

  it('gives every role the same visibility as GET /devices/{id}', () => {
    const index = new AreaIndex(directory.list());
    const users = [
      user(['admin'], []),
      user(['technician'], []),
      user(['operator'], ['xa-a']),
      user(['operator', 'approver'], ['ap-a1']),
      user(['environment'], ['xa-b']),
      user(['approver'], []),
    ];
    const devices = [null, 'nowhere', ...AREAS.map((a) => a.id)].flatMap((areaId) =>
      (['speaker-cluster', 'sensor-gateway'] as const).map((role) => ({ role, areaId })),
    );
    for (const u of users) {
      const fast = visibilityFor(index, u);
      for (const d of devices)
        expect({ u: u.roles, d, v: fast(d) }).toEqual({ u: u.roles, d, v: deviceVisibleTo(directory, u, d) });
    }
    const operator = visibilityFor(index, user(['operator'], ['xa-a']));
    expect(operator({ role: 'speaker-cluster', areaId: 'ap-a1-x' })).toBe(true);
    expect(operator({ role: 'speaker-cluster', areaId: 'xa-b' })).toBe(false);
  });
});
