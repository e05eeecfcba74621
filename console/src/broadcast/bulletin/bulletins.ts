import { randomBytes } from 'node:crypto';
import type { SqliteDatabase } from '@xaso/broker';
import { GroupIdSchema, Sha256Schema } from '@xaso/device-profiles/contract';
import { z } from 'zod';
import type { ConsoleContext, SessionUser } from '../../app/env.js';
import { BroadcastError } from '../errors.js';
import { actorName } from '../roles.js';
import type { Schedules } from '../schedule/schedules.js';
import { LocalDateSchema, LocalTimeSchema, localToEpoch, toLocalIso } from '../time.js';

/** A bulletin from the provincial/central information source for one commune (Circular 39 levels). */
export const BulletinInputSchema = z.object({
  level: z.enum(['priority', 'normal']),
  title: z.string().trim().min(1).max(200),
  source: z.string().trim().min(1).max(200),
  areaId: GroupIdSchema,
  playlist: z.array(Sha256Schema).min(1).max(100),
  date: LocalDateSchema,
  time: LocalTimeSchema,
});
export type BulletinInput = z.infer<typeof BulletinInputSchema>;
export const OrderSchema = z.object({ order: z.enum(['bulletin-first', 'commune-first']) });

export type BulletinStatus = 'awaiting-acceptance' | 'needs-ordering' | 'scheduled' | 'rejected';
interface Clash {
  scheduleId: string;
  title: string;
  start: number;
  durationMs: number;
}
export interface Bulletin extends BulletinInput {
  id: string;
  slotAt: number;
  status: BulletinStatus;
  clash: Clash | null;
  order: string | null;
  scheduleId: string | null;
  decidedBy: string | null;
}

type Deps = Pick<ConsoleContext, 'areas' | 'audio' | 'audit'>;

/**
 * Circular 39/2020/TT-BTTTT levels for bulletins from above: `priority` goes into the commune's programme
 * at once unless it clashes with the commune's own priority item, which the operator then orders;
 * `normal` waits until the commune operator accepts it. Ordering moves only the bulletin (to end as the
 * commune item starts, or to start as it ends) so the commune's recurring programme stays untouched.
 */
export class Bulletins {
  constructor(
    private readonly deps: Deps,
    private readonly db: SqliteDatabase,
    private readonly schedules: Schedules,
  ) {}

  async receive(input: BulletinInput, receivedBy: string): Promise<Bulletin> {
    if (!this.deps.areas.get(input.areaId))
      throw new BroadcastError(404, `areaId: no area "${input.areaId}"`, 'areaId');
    input.playlist.forEach((id, i) => {
      if (!this.deps.audio.get(id))
        throw new BroadcastError(422, `playlist.${i}: no audio item ${id} in the library`, `playlist.${i}`);
    });
    const slotAt = localToEpoch(input.date, input.time);
    const clash = input.level === 'priority' ? this.clashWith(input, slotAt) : null;
    const bulletin: Bulletin = {
      ...input,
      id: `n-${randomBytes(6).toString('hex')}`,
      slotAt,
      status: input.level === 'normal' ? 'awaiting-acceptance' : clash ? 'needs-ordering' : 'scheduled',
      clash,
      order: null,
      scheduleId: null,
      decidedBy: null,
    };
    this.save(bulletin, Date.now());
    this.deps.audit.record({
      actor: receivedBy,
      action: 'bulletin.receive',
      target: bulletin.id,
      detail: { level: input.level, source: input.source, areaId: input.areaId, status: bulletin.status },
    });
    if (bulletin.status === 'scheduled') return this.schedule(bulletin, slotAt, this.sourceUser(input));
    return bulletin;
  }

  async accept(user: SessionUser, id: string, allowConflicts: boolean): Promise<Bulletin> {
    const b = this.require(id, 'awaiting-acceptance');
    return this.schedule(b, b.slotAt, user, allowConflicts);
  }

  reject(user: SessionUser, id: string): Bulletin {
    const b = this.require(id, 'awaiting-acceptance', 'needs-ordering');
    this.assertArea(user, b);
    const rejected: Bulletin = { ...b, status: 'rejected', decidedBy: actorName(user) };
    this.save(rejected, Date.now());
    this.deps.audit.record({ actor: actorName(user), action: 'bulletin.reject', target: id });
    return rejected;
  }

  async order(user: SessionUser, id: string, order: z.infer<typeof OrderSchema>['order']): Promise<Bulletin> {
    const b = this.require(id, 'needs-ordering');
    if (!b.clash) throw new BroadcastError(409, `id: bulletin "${id}" has no clash to order`, 'id');
    const own = this.schedules.durationOf(b.playlist);
    const at = order === 'bulletin-first' ? b.clash.start - own : b.clash.start + b.clash.durationMs;
    return this.schedule({ ...b, order }, at, user, true);
  }

  get(id: string): Bulletin {
    const row = this.db.prepare('SELECT * FROM broadcast_bulletins WHERE id = ?').get(id) as
      | { data?: string }
      | undefined;
    if (!row) throw new BroadcastError(404, `id: no bulletin "${id}"`, 'id');
    return this.fromRow(row);
  }

  list(): Bulletin[] {
    return (this.db.prepare('SELECT * FROM broadcast_bulletins ORDER BY slot_at').all() as object[]).map(
      (r) => this.fromRow(r),
    );
  }

  private sourceUser(input: BulletinInput): SessionUser {
    return {
      id: `source:${input.source}`,
      username: input.source,
      displayName: input.source,
      roles: ['admin'],
      areaIds: [],
    };
  }

  private assertArea(user: SessionUser, b: Bulletin): void {
    if (!user.roles.includes('admin') && !this.deps.areas.userMayAct(user, b.areaId))
      throw new BroadcastError(403, `areaId: you may not decide for ${b.areaId}`, 'areaId');
  }

  private clashWith(input: BulletinInput, slotAt: number): Clash | null {
    const end = slotAt + this.schedules.durationOf(input.playlist);
    const areaClusters = new Set(this.deps.areas.clustersIn(input.areaId));
    for (const s of this.schedules.list('active')) {
      if (s.priority !== 'priority' || s.origin !== 'commune') continue;
      const starts = this.schedules.startsOf(s, slotAt - 86_400_000, end);
      const durationMs = this.schedules.durationOf(s.playlist);
      const hit = starts.find((t) => t < end && t + durationMs > slotAt);
      if (hit !== undefined && this.schedules.clustersOf(s).some((c) => areaClusters.has(c)))
        return { scheduleId: s.id, title: s.title, start: hit, durationMs };
    }
    return null;
  }

  private async schedule(
    b: Bulletin,
    at: number,
    user: SessionUser,
    allowConflicts = true,
  ): Promise<Bulletin> {
    this.assertArea(user, b);
    const local = toLocalIso(at);
    const { schedule } = await this.schedules.save(
      user,
      {
        title: b.title,
        target: { kind: 'area', areaId: b.areaId },
        recurrence: { kind: 'once', date: local.slice(0, 10), time: local.slice(11, 19) },
        playlist: b.playlist,
        volume: 90,
        priority: b.level,
        allowConflicts,
      },
      undefined,
      'bulletin',
    );
    const done: Bulletin = { ...b, status: 'scheduled', scheduleId: schedule.id, decidedBy: actorName(user) };
    this.save(done, Date.now());
    this.deps.audit.record({
      actor: actorName(user),
      action: 'bulletin.schedule',
      target: b.id,
      detail: { scheduleId: schedule.id, at: local, order: b.order },
    });
    return done;
  }

  private require(id: string, ...allowed: BulletinStatus[]): Bulletin {
    const b = this.get(id);
    if (!allowed.includes(b.status))
      throw new BroadcastError(409, `id: bulletin "${id}" is ${b.status}`, 'id');
    return b;
  }

  private fromRow(row: object): Bulletin {
    const r = row as Record<string, unknown>;
    const slotAt = Number(r.slot_at);
    const local = toLocalIso(slotAt);
    return {
      id: String(r.id),
      level: r.level as Bulletin['level'],
      title: String(r.title),
      source: String(r.source),
      areaId: String(r.area_id),
      playlist: JSON.parse(String(r.playlist)) as string[],
      date: local.slice(0, 10),
      time: local.slice(11, 19),
      slotAt,
      status: r.status as BulletinStatus,
      clash: r.clash ? (JSON.parse(String(r.clash)) as Clash) : null,
      order: (r.play_order as string | null) ?? null,
      scheduleId: (r.schedule_id as string | null) ?? null,
      decidedBy: (r.decided_by as string | null) ?? null,
    };
  }

  private save(b: Bulletin, now: number): void {
    this.db
      .prepare(
        `INSERT INTO broadcast_bulletins (id, level, title, source, area_id, playlist, slot_at, status, clash,
           play_order, schedule_id, decided_by, decided_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, play_order = excluded.play_order,
           schedule_id = excluded.schedule_id, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
      )
      .run(
        b.id,
        b.level,
        b.title,
        b.source,
        b.areaId,
        JSON.stringify(b.playlist),
        b.slotAt,
        b.status,
        b.clash ? JSON.stringify(b.clash) : null,
        b.order,
        b.scheduleId,
        b.decidedBy,
        b.decidedBy ? now : null,
        now,
      );
  }
}
