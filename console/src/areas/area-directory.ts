import { readFileSync } from 'node:fs';
import type { SqliteDatabase } from '@xaso/broker';
import type { Area, AreaDirectory, SessionUser } from '../app/env.js';
import { HttpError } from '../app/http-error.js';
import { AreaFileSchema } from './area-schemas.js';
import type { AreaPatch, NewArea } from './area-schemas.js';

interface AreaRow {
  id: string;
  parent_id: string | null;
  name: string;
  kind: Area['kind'];
  lat: number | null;
  lon: number | null;
  requires_approval: 0 | 1;
}

function toArea(row: AreaRow): Area {
  const area: Area = {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    kind: row.kind,
    requiresApproval: row.requires_approval === 1,
  };
  if (row.lat !== null) area.lat = row.lat;
  if (row.lon !== null) area.lon = row.lon;
  return area;
}

const SUBTREE = `WITH RECURSIVE sub(id) AS (
    SELECT id FROM console_areas WHERE id = ?
    UNION SELECT a.id FROM console_areas a JOIN sub ON a.parent_id = sub.id)`;

/** The administrative tree in the console's table; no district level is assumed anywhere. */
export class SqliteAreaDirectory implements AreaDirectory {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): Area | undefined {
    const row = this.db.prepare('SELECT * FROM console_areas WHERE id = ?').get(id) as AreaRow | undefined;
    return row && toArea(row);
  }

  list(): Area[] {
    return (this.db.prepare('SELECT * FROM console_areas ORDER BY name, id').all() as AreaRow[]).map(toArea);
  }

  subtree(id: string): Area[] {
    const rows = this.db
      .prepare(`${SUBTREE} SELECT a.* FROM console_areas a JOIN sub ON a.id = sub.id`)
      .all(id) as AreaRow[];
    return rows.map(toArea);
  }

  ancestry(id: string): Area[] {
    const out: Area[] = [];
    const seen = new Set<string>();
    let next = this.get(id);
    while (next && !seen.has(next.id)) {
      out.push(next);
      seen.add(next.id);
      next = next.parentId === null ? undefined : this.get(next.parentId);
    }
    return out;
  }

  clustersIn(id: string): string[] {
    const rows = this.db
      .prepare(
        `${SUBTREE} SELECT d.id FROM devices d JOIN sub ON d.area_id = sub.id
         WHERE d.role = 'speaker-cluster' ORDER BY d.id`,
      )
      .all(id) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Every device (any role) placed in the area or below. */
  devicesIn(id: string): string[] {
    const rows = this.db
      .prepare(`${SUBTREE} SELECT d.id FROM devices d JOIN sub ON d.area_id = sub.id ORDER BY d.id`)
      .all(id) as { id: string }[];
    return rows.map((r) => r.id);
  }

  userMayAct(user: SessionUser, areaId: string): boolean {
    if (user.roles.includes('admin')) return true;
    return this.ancestry(areaId).some((a) => user.areaIds.includes(a.id));
  }

  create(input: NewArea): Area {
    if (this.get(input.id)) throw new HttpError(409, 'exists', `area ${input.id} already exists`, 'id');
    if (input.parentId !== null && !this.get(input.parentId))
      throw new HttpError(400, 'unknown-area', `no parent area ${input.parentId}`, 'parentId');
    this.db
      .prepare(
        'INSERT INTO console_areas (id, parent_id, name, kind, lat, lon, requires_approval, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        input.id,
        input.parentId,
        input.name,
        input.kind,
        input.lat ?? null,
        input.lon ?? null,
        input.requiresApproval ? 1 : 0,
        this.now(),
      );
    return this.require(input.id);
  }

  update(id: string, patch: AreaPatch): Area {
    const area = this.require(id);
    if (patch.parentId !== undefined && patch.parentId !== null) {
      if (!this.get(patch.parentId))
        throw new HttpError(400, 'unknown-area', `no parent area ${patch.parentId}`, 'parentId');
      if (this.subtree(id).some((a) => a.id === patch.parentId))
        throw new HttpError(
          409,
          'cycle',
          'an area cannot be moved under itself or its own sub-areas',
          'parentId',
        );
    }
    const pick = <T>(value: T | undefined, current: T): T => (value === undefined ? current : value);
    this.db
      .prepare(
        'UPDATE console_areas SET parent_id = ?, name = ?, kind = ?, lat = ?, lon = ?, requires_approval = ? WHERE id = ?',
      )
      .run(
        pick(patch.parentId, area.parentId),
        pick(patch.name, area.name),
        pick(patch.kind, area.kind),
        pick(patch.lat, area.lat ?? null),
        pick(patch.lon, area.lon ?? null),
        pick(patch.requiresApproval, area.requiresApproval) ? 1 : 0,
        id,
      );
    return this.require(id);
  }

  /** Only a leaf with nothing placed in it can go, so no cluster is left pointing at a missing area. */
  delete(id: string): void {
    this.require(id);
    if (this.subtree(id).length > 1)
      throw new HttpError(409, 'has-children', `area ${id} still has sub-areas`, 'id');
    const placed = this.devicesIn(id);
    if (placed.length > 0)
      throw new HttpError(
        409,
        'has-devices',
        `area ${id} still has devices: ${placed.slice(0, 5).join(', ')}`,
        'id',
      );
    this.db.prepare('DELETE FROM console_areas WHERE id = ?').run(id);
  }

  require(id: string): Area {
    const area = this.get(id);
    if (!area) throw new HttpError(404, 'not-found', `no area ${id}`, 'id');
    return area;
  }

  /** Loads the seed file into an empty table; parents may come after their children in the file. */
  seedFromFile(file: string): number {
    if (this.list().length > 0) return 0;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read areas file ${file}: ${(err as Error).message}`);
    }
    const result = AreaFileSchema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`areas file ${file}: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    let pending = result.data.areas;
    const insert = this.db.transaction(() => {
      while (pending.length > 0) {
        const ready = pending.filter((a) => a.parentId === null || this.get(a.parentId));
        if (ready.length === 0)
          throw new Error(`areas file ${file}: unknown parent for ${pending.map((a) => a.id).join(', ')}`);
        for (const area of ready) this.create(area);
        pending = pending.filter((a) => !ready.includes(a));
      }
    });
    insert();
    return result.data.areas.length;
  }
}
