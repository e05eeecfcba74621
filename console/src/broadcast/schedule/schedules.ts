import { randomBytes } from 'node:crypto';
import type { ConsoleContext, SessionUser } from '../../app/env.js';
import { assertUsableAudio } from '../audio-access.js';
import { BroadcastError } from '../errors.js';
import { actorName, isApprover } from '../roles.js';
import { assertMayAct, needsApproval, requireClusters, resolveTarget } from '../targets.js';
import type { Conflict, Slotted } from './conflicts.js';
import { findConflicts } from './conflicts.js';
import { occurrences } from './occurrences.js';
import type { Programme } from './programme.js';
import { startRules } from './recurrence.js';
import { validityOf } from './schedule-record.js';
import type { ScheduleInput, ScheduleOrigin, ScheduleRecord } from './schedule-record.js';
import type { ScheduleStore } from './schedule-store.js';

type Deps = Pick<ConsoleContext, 'registry' | 'areas' | 'audio' | 'audit' | 'log'>;

export interface SaveResult {
  schedule: ScheduleRecord;
  conflicts: Conflict[];
  /** Cluster → schedule version published because of this change. */
  published: Record<string, number>;
}

/** The answer of a dry run: what a save would find, nothing stored or published. */
export interface ScheduleCheck {
  conflicts: Conflict[];
  clusters: string[];
  durationMs: number;
  /** Saving would put the schedule in the approval queue. */
  needsApproval: boolean;
  /** Every start is already past: saving would be refused. */
  pastOnly: boolean;
}

/** Saving, replacing, approving and deleting schedules, with conflict detection and republishing. */
export class Schedules {
  constructor(
    private readonly deps: Deps,
    private readonly store: ScheduleStore,
    private readonly programme: Programme,
    private readonly now: () => number = Date.now,
  ) {}

  durationOf(playlist: readonly string[]): number {
    return playlist.reduce((sum, id) => sum + (this.deps.audio.get(id)?.durationMs ?? 0), 0);
  }

  private slotted(s: ScheduleRecord, clusters: string[]): Slotted {
    return {
      id: s.id,
      title: s.title,
      clusters,
      rules: startRules(s.recurrence),
      validFrom: s.validFrom,
      validTo: s.validTo,
      durationMs: this.durationOf(s.playlist),
    };
  }

  /** Conflicts of `candidate` with active and pending schedules on the same clusters. */
  conflictsOf(candidate: ScheduleRecord, clusters: string[]): Conflict[] {
    const others = this.store.list().flatMap((s) => {
      if (s.status === 'rejected' || s.id === candidate.id) return [];
      try {
        return [this.slotted(s, resolveTarget(this.deps, s.target).clusters)];
      } catch {
        return [];
      }
    });
    return findConflicts(this.slotted(candidate, clusters), others, this.now());
  }

  /**
   * What saving `input` would do, without saving: the same checks (target, rights, audio, past starts)
   * and the overlaps it would have. `existingId` leaves the schedule being edited out of the comparison.
   */
  check(user: SessionUser, input: ScheduleInput, existingId?: string): ScheduleCheck {
    const resolved = resolveTarget(this.deps, input.target);
    assertMayAct(this.deps, user, resolved);
    requireClusters(resolved);
    input.playlist.forEach((id, i) => assertUsableAudio(this.deps.audio, user, id, `playlist.${i}`));
    const now = this.now();
    const { validFrom, validTo } = validityOf(input, now);
    const candidate: Slotted = {
      id: existingId ?? '',
      title: input.title,
      clusters: resolved.clusters,
      rules: startRules(input.recurrence),
      validFrom,
      validTo,
      durationMs: this.durationOf(input.playlist),
    };
    const others = this.store.list().flatMap((s) => {
      if (s.status === 'rejected' || s.id === existingId) return [];
      const clusters = this.clustersOf(s);
      return clusters.length > 0 ? [this.slotted(s, clusters)] : [];
    });
    return {
      conflicts: findConflicts(candidate, others, now),
      clusters: resolved.clusters,
      durationMs: candidate.durationMs,
      needsApproval: needsApproval(this.deps, resolved) && !isApprover(user),
      pastOnly: candidate.rules.every((r) => 'at' in r && r.at < now),
    };
  }

  async save(
    user: SessionUser,
    input: ScheduleInput,
    existing?: ScheduleRecord,
    origin: ScheduleOrigin = 'commune',
  ): Promise<SaveResult> {
    const resolved = resolveTarget(this.deps, input.target);
    assertMayAct(this.deps, user, resolved);
    requireClusters(resolved);
    input.playlist.forEach((id, i) => assertUsableAudio(this.deps.audio, user, id, `playlist.${i}`));
    const now = this.now();
    const { validFrom, validTo } = validityOf(input, now);
    const rules = startRules(input.recurrence);
    if (rules.every((r) => 'at' in r && r.at < now))
      throw new BroadcastError(422, 'recurrence: every start time is in the past', 'recurrence');
    const approved = !needsApproval(this.deps, resolved) || isApprover(user);
    const record: ScheduleRecord = {
      id: existing?.id ?? `s-${randomBytes(6).toString('hex')}`,
      title: input.title,
      target: input.target,
      recurrence: input.recurrence,
      playlist: input.playlist,
      volume: input.volume,
      priority: input.priority,
      validFrom,
      validTo,
      status: approved ? 'active' : 'pending-approval',
      origin: existing?.origin ?? origin,
      warnings: [],
      createdBy: existing?.createdBy ?? actorName(user),
      approvedBy: approved && needsApproval(this.deps, resolved) ? actorName(user) : null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const conflicts = this.conflictsOf(record, resolved.clusters);
    if (conflicts.length > 0 && !input.allowConflicts)
      throw new BroadcastError(
        409,
        `recurrence: overlaps ${conflicts.map((c) => `"${c.title}" (${c.scheduleId})`).join(', ')}`,
        'recurrence',
        { conflicts },
      );
    record.warnings = conflicts;
    this.store.save(record);
    this.deps.audit.record({
      actor: actorName(user),
      action: existing ? 'schedule.update' : 'schedule.create',
      target: record.id,
      detail: {
        title: record.title,
        target: record.target,
        status: record.status,
        conflicts: conflicts.length,
      },
    });
    const touched = new Set(record.status === 'active' ? resolved.clusters : []);
    if (existing) for (const c of this.clustersOf(existing)) touched.add(c);
    const published = await this.programme.publish(touched);
    return { schedule: record, conflicts, published: Object.fromEntries(published) };
  }

  /** Start times of a schedule within [from, to), its validity applied. */
  startsOf(s: ScheduleRecord, from: number, to: number): number[] {
    return occurrences(startRules(s.recurrence), Math.max(from, s.validFrom), Math.min(to, s.validTo ?? to));
  }

  clustersOf(s: ScheduleRecord): string[] {
    try {
      return resolveTarget(this.deps, s.target).clusters;
    } catch {
      return [];
    }
  }

  list(status?: ScheduleRecord['status']): ScheduleRecord[] {
    return this.store.list(status);
  }

  get(id: string): ScheduleRecord {
    const s = this.store.get(id);
    if (!s) throw new BroadcastError(404, `id: no schedule "${id}"`, 'id');
    return s;
  }

  /** Operators may only touch schedules whose target they may act on. */
  authorize(user: SessionUser, s: ScheduleRecord): void {
    assertMayAct(this.deps, user, resolveTarget(this.deps, s.target));
  }

  async remove(user: SessionUser, id: string): Promise<Record<string, number>> {
    const s = this.get(id);
    this.authorize(user, s);
    const clusters = s.status === 'active' ? this.clustersOf(s) : [];
    this.store.delete(id);
    this.deps.audit.record({
      actor: actorName(user),
      action: 'schedule.delete',
      target: id,
      detail: { title: s.title },
    });
    return Object.fromEntries(await this.programme.publish(clusters));
  }

  async decide(user: SessionUser, id: string, approve: boolean, note?: string): Promise<ScheduleRecord> {
    const s = this.get(id);
    if (s.status !== 'pending-approval')
      throw new BroadcastError(409, `id: schedule "${id}" is ${s.status}, not waiting for approval`, 'id');
    this.authorize(user, s);
    const decided: ScheduleRecord = {
      ...s,
      status: approve ? 'active' : 'rejected',
      approvedBy: actorName(user),
      updatedAt: this.now(),
    };
    this.store.save(decided);
    this.deps.audit.record({
      actor: actorName(user),
      action: approve ? 'schedule.approve' : 'schedule.reject',
      target: id,
      detail: { title: s.title, requestedBy: s.createdBy, note },
    });
    if (approve) await this.programme.publish(this.clustersOf(decided));
    return decided;
  }
}
