import { Registry } from '@xaso/broker';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAreaDirectory } from '../../../console/src/areas/area-directory.js';
import { migrateConsole } from '../../../console/src/db/migrations.js';

describe('SqliteAreaDirectory', () => {
  let registry: Registry;
  let areas: SqliteAreaDirectory;
  beforeEach(() => {
    registry = Registry.open(':memory:', { logger: pino({ level: 'silent' }) });
    migrateConsole(registry.db);
    areas = new SqliteAreaDirectory(registry.db);
    areas.create({ id: 'tinh', parentId: null, name: 'Tỉnh', kind: 'province', requiresApproval: false });
    areas.create({ id: 'xa-a', parentId: 'tinh', name: 'Xã A', kind: 'commune', requiresApproval: true });
    areas.create({ id: 'xa-b', parentId: 'tinh', name: 'Xã B', kind: 'commune', requiresApproval: false });
    areas.create({ id: 'ap-a1', parentId: 'xa-a', name: 'Ấp A1', kind: 'village', requiresApproval: false });
  });
  afterEach(() => registry.close());

  it('walks the tree both ways', () => {
    expect(areas.ancestry('ap-a1').map((a) => a.id)).toEqual(['ap-a1', 'xa-a', 'tinh']);
    expect(
      areas
        .subtree('xa-a')
        .map((a) => a.id)
        .sort(),
    ).toEqual(['ap-a1', 'xa-a']);
    expect(areas.subtree('tinh')).toHaveLength(4);
    expect(areas.get('xa-a')?.requiresApproval).toBe(true);
  });

  it('finds clusters placed anywhere below an area, not sensor stations', () => {
    registry.createDevice({ id: 'loa-1', role: 'speaker-cluster', areaId: 'ap-a1' });
    registry.createDevice({ id: 'loa-2', role: 'speaker-cluster', areaId: 'xa-b' });
    registry.createDevice({ id: 'tram-1', role: 'sensor-gateway', areaId: 'ap-a1' });
    expect(areas.clustersIn('xa-a')).toEqual(['loa-1']);
    expect(areas.clustersIn('tinh')).toEqual(['loa-1', 'loa-2']);
    expect(areas.devicesIn('xa-a')).toEqual(['loa-1', 'tram-1']);
  });

  it('scopes users to their areas and below', () => {
    const operator = {
      id: 'u',
      username: 'u',
      displayName: 'U',
      roles: ['operator' as const],
      areaIds: ['xa-a'],
    };
    expect(areas.userMayAct(operator, 'ap-a1')).toBe(true);
    expect(areas.userMayAct(operator, 'xa-b')).toBe(false);
    expect(areas.userMayAct(operator, 'tinh')).toBe(false);
    expect(areas.userMayAct({ ...operator, roles: ['admin'] }, 'tinh')).toBe(true);
  });

  it('refuses cycles and deleting areas with children or devices', () => {
    expect(() => areas.update('xa-a', { parentId: 'ap-a1' })).toThrow(/under itself/);
    expect(() => areas.delete('xa-a')).toThrow(/sub-areas/);
    registry.createDevice({ id: 'loa-1', role: 'speaker-cluster', areaId: 'ap-a1' });
    expect(() => areas.delete('ap-a1')).toThrow(/loa-1/);
    expect(() =>
      areas.create({ id: 'x', parentId: 'nope', name: 'X', kind: 'other', requiresApproval: false }),
    ).toThrow(/no parent area nope/);
  });
});
