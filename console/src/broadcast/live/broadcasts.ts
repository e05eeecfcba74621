import { randomBytes } from 'node:crypto';
import { CommandSchema, topics } from '@xaso/device-profiles/contract';
import type { Command, CommandBody, PlaylistItem } from '@xaso/device-profiles/contract';
import type { ConsoleContext, SessionUser } from '../../app/env.js';
import { assertUsableAudio } from '../audio-access.js';
import type { CommandCatchUp } from '../delivery/catch-up.js';
import type { DeliveryTracker } from '../delivery/tracker.js';
import { BroadcastError } from '../errors.js';
import { actorName, isApprover } from '../roles.js';
import type { Fanout } from '../targets.js';
import type { BroadcastStore } from './broadcast-store.js';
import { reach } from './fanout.js';
import type { BroadcastOrigin, BroadcastRecord, BroadcastRequest, EmergencyRequest } from './request.js';

/** How long a command stays acceptable to a gateway; an old emergency must not sound hours later. */
const TTL_MS = { emergency: 10 * 60_000, priority: 5 * 60_000, normal: 5 * 60_000, stop: 30 * 60_000 };

type Deps = Pick<ConsoleContext, 'registry' | 'areas' | 'audio' | 'audit' | 'signer' | 'uplink' | 'log'>;

/** Play-now, live relays and emergencies: approval, signing, fan-out and the delivery record. */
export class Broadcasts {
  constructor(
    private readonly deps: Deps,
    private readonly store: BroadcastStore,
    private readonly tracker: DeliveryTracker,
    private readonly now: () => number = Date.now,
    private readonly catchUp?: CommandCatchUp,
  ) {}

  /**
   * Approval rule: in an area that requires it, an operator's broadcast waits for an approver. An
   * emergency from an admin or approver goes at once (they are the ones who would approve it); an
   * operator's emergency waits too, at the top of the queue, so a mistaken alarm cannot sound province-wide.
   */
  async submit(user: SessionUser, request: BroadcastRequest, origin: BroadcastOrigin = 'console') {
    const { clusters, needsApproval } = reach(this.deps, user, request.targets);
    this.checkAudio(user, request);
    const waits = needsApproval && !isApprover(user);
    const record: BroadcastRecord = {
      id: `b-${randomBytes(8).toString('hex')}`,
      kind: request.kind,
      priority: request.priority,
      targets: request.targets,
      request,
      status: waits ? 'pending-approval' : 'sent',
      origin,
      clusters,
      commandIds: [],
      createdBy: actorName(user),
      createdAt: this.now(),
      approvedBy: needsApproval && !waits ? actorName(user) : null,
      decidedAt: null,
      decisionNote: null,
      sentAt: null,
    };
    this.deps.audit.record({
      actor: record.createdBy,
      action: waits ? 'broadcast.request' : 'broadcast.send',
      target: record.id,
      detail: {
        kind: record.kind,
        priority: record.priority,
        targets: record.targets,
        origin,
        clusters: clusters.length,
      },
    });
    if (waits) {
      this.store.save(record);
      return record;
    }
    return this.send(record);
  }

  emergency(user: SessionUser, request: EmergencyRequest, origin: BroadcastOrigin = 'console') {
    return this.submit(user, { kind: 'play', priority: 'emergency', ...request }, origin);
  }

  get(id: string): BroadcastRecord {
    const b = this.store.get(id);
    if (!b) throw new BroadcastError(404, `id: no broadcast "${id}"`, 'id');
    return b;
  }

  list(status?: BroadcastRecord['status']): BroadcastRecord[] {
    return this.store.list(status);
  }

  async decide(user: SessionUser, id: string, approve: boolean, note?: string): Promise<BroadcastRecord> {
    const b = this.get(id);
    if (b.status !== 'pending-approval')
      throw new BroadcastError(409, `id: broadcast "${id}" is ${b.status}, not waiting for approval`, 'id');
    reach(this.deps, user, b.targets);
    const decided: BroadcastRecord = {
      ...b,
      approvedBy: actorName(user),
      decidedAt: this.now(),
      decisionNote: note ?? null,
      status: approve ? b.status : 'rejected',
    };
    this.deps.audit.record({
      actor: actorName(user),
      action: approve ? 'broadcast.approve' : 'broadcast.reject',
      target: id,
      detail: { requestedBy: b.createdBy, priority: b.priority, note },
    });
    if (!approve) {
      this.store.save(decided);
      return decided;
    }
    return this.send(decided);
  }

  /** Sends `stop` for the broadcast on the same topics it went out on. */
  async stop(user: SessionUser | null, id: string, actor: string, reason?: string): Promise<BroadcastRecord> {
    const b = this.get(id);
    if (b.status !== 'sent') throw new BroadcastError(409, `id: broadcast "${id}" is ${b.status}`, 'id');
    const { fanout } = reach(this.deps, user, b.targets);
    // A cluster that missed the broadcast must not get it late, after the stop.
    this.catchUp?.forget(b.commandIds ?? []);
    await Promise.all(
      fanout.map((f) => this.publish(f, { type: 'stop', broadcastId: b.id }, actor, TTL_MS.stop)),
    );
    const stopped: BroadcastRecord = { ...b, status: 'stopped' };
    this.store.save(stopped);
    this.deps.audit.record({ actor, action: 'broadcast.stop', target: id, detail: { reason } });
    return stopped;
  }

  /** A waiting broadcast overtaken by events (a CAP Cancel) is closed without sending. */
  withdraw(id: string, actor: string): BroadcastRecord {
    const b = this.get(id);
    const closed: BroadcastRecord = {
      ...b,
      status: 'rejected',
      decidedAt: this.now(),
      decisionNote: `withdrawn: ${actor}`,
    };
    this.store.save(closed);
    this.deps.audit.record({ actor, action: 'broadcast.withdraw', target: id });
    return closed;
  }

  private checkAudio(user: SessionUser, request: BroadcastRequest): void {
    const ids = request.kind === 'play' ? request.playlist : request.fallback ? [request.fallback] : [];
    const field = request.kind === 'play' ? 'playlist' : 'fallback';
    ids.forEach((id, i) => {
      assertUsableAudio(this.deps.audio, user, id, request.kind === 'play' ? `${field}.${i}` : field);
    });
  }

  private item(id: string): PlaylistItem {
    const a = this.deps.audio.get(id);
    if (!a) throw new BroadcastError(422, `playlist: audio item ${id} has been deleted`, 'playlist');
    return { audioId: a.id, path: a.path, durationMs: a.durationMs, title: a.title };
  }

  private body(b: BroadcastRecord): CommandBody {
    const r = b.request;
    const volume = r.volume === undefined ? {} : { volume: r.volume };
    if (r.kind === 'play')
      return {
        type: 'play',
        broadcastId: b.id,
        priority: r.priority,
        playlist: r.playlist.map((id) => this.item(id)),
        repeat: r.repeat,
        ...volume,
      };
    return {
      type: 'live',
      broadcastId: b.id,
      priority: r.priority,
      url: r.url,
      ...(r.durationS === undefined ? {} : { durationS: r.durationS }),
      ...(r.fallback === undefined ? {} : { fallback: this.item(r.fallback) }),
      ...volume,
    };
  }

  private async send(b: BroadcastRecord): Promise<BroadcastRecord> {
    const { fanout, clusters } = reach(this.deps, null, b.targets);
    const body = this.body(b);
    const sentAt = this.now();
    const commands = fanout.map((f) => this.command(f, body, b.createdBy, TTL_MS[b.priority]));
    const sent: BroadcastRecord = {
      ...b,
      status: 'sent',
      clusters,
      commandIds: commands.map((c) => c.command.id),
      sentAt,
    };
    this.tracker.track(b.id, sent.commandIds, clusters, sentAt);
    for (const c of commands) this.catchUp?.remember(c.command, c.payload);
    await Promise.all(
      commands.map((c) => this.deps.uplink.publish(c.topic, c.payload, { qos: 1, retain: false })),
    );
    this.store.save(sent);
    return sent;
  }

  private command(f: Fanout, body: CommandBody, issuer: string, ttlMs: number) {
    const target =
      f.kind === 'device'
        ? { kind: 'device' as const, deviceId: f.deviceId }
        : { kind: 'group' as const, groupId: f.groupId };
    const command: Command = CommandSchema.parse(
      this.deps.signer.sign({ v: 1, target, body }, issuer, ttlMs),
    );
    const topic = f.kind === 'device' ? topics.command(f.deviceId) : topics.groupCommand(f.groupId);
    return { command, topic, payload: JSON.stringify(command) };
  }

  private async publish(f: Fanout, body: CommandBody, issuer: string, ttlMs: number): Promise<string> {
    const c = this.command(f, body, issuer, ttlMs);
    await this.deps.uplink.publish(c.topic, c.payload, { qos: 1, retain: false });
    return c.command.id;
  }
}
