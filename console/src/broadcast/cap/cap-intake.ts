import type { SqliteDatabase } from '@xaso/broker';
import type { ConsoleContext, SessionUser } from '../../app/env.js';
import { BroadcastError } from '../errors.js';
import type { Broadcasts } from '../live/broadcasts.js';
import { actorName } from '../roles.js';
import { matchAreas } from './area-match.js';
import { parseCap, referencedIdentifiers } from './cap-alert.js';
import type { CapAlert, CapInfo } from './cap-alert.js';

export type CapOutcome = {
  identifier: string;
  msgType: CapAlert['msgType'];
  action: 'broadcast' | 'pending-approval' | 'cancelled' | 'recorded';
  broadcastId?: string;
  areaIds: string[];
  unmatched: string[];
  stopped: string[];
  reason?: string;
};

type Deps = Pick<ConsoleContext, 'areas' | 'audio' | 'audit' | 'log'>;
const DEFAULT_REPEAT = 3;
const SHA256 = /[a-f0-9]{64}/;

/** Info block to broadcast: the Vietnamese one when there is one, else the first. */
function pickInfo(alert: CapAlert): CapInfo | undefined {
  return alert.info.find((i) => i.language.toLowerCase().startsWith('vi')) ?? alert.info[0];
}

/** CAP 1.2 alerts in, emergency broadcasts out: Alert sends, Update replaces, Cancel stops, expiry stops. */
export class CapIntake {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: Deps,
    private readonly db: SqliteDatabase,
    private readonly broadcasts: Broadcasts,
    private readonly now: () => number = Date.now,
  ) {
    const active = db
      .prepare(
        "SELECT identifier, expires FROM broadcast_cap_alerts WHERE state = 'active' AND expires IS NOT NULL",
      )
      .all() as { identifier: string; expires: number }[];
    for (const a of active) this.expireAt(a.identifier, a.expires);
  }

  async receive(user: SessionUser, xml: string): Promise<CapOutcome> {
    const alert = parseCap(xml);
    if (this.db.prepare('SELECT 1 FROM broadcast_cap_alerts WHERE identifier = ?').get(alert.identifier))
      throw new BroadcastError(
        409,
        `alert.identifier: alert "${alert.identifier}" was already received`,
        'alert.identifier',
      );
    const base = {
      identifier: alert.identifier,
      msgType: alert.msgType,
      areaIds: [],
      unmatched: [],
      stopped: [],
    };
    const info = pickInfo(alert);
    if (alert.status !== 'Actual' || alert.msgType === 'Ack' || alert.msgType === 'Error') {
      this.store(user, alert, info, [], null, 'recorded');
      return {
        ...base,
        action: 'recorded',
        reason: `status ${alert.status}, msgType ${alert.msgType}: nothing is sounded`,
      };
    }
    const stopped = alert.msgType === 'Alert' ? [] : await this.stopReferenced(user, alert);
    if (alert.msgType === 'Cancel') {
      this.store(user, alert, info, [], null, 'cancel');
      return { ...base, action: 'cancelled', stopped };
    }
    if (!info) throw new BroadcastError(400, 'alert.info: an Alert or Update needs an <info>', 'alert.info');
    const expires = info.expires;
    if (expires !== undefined && expires <= this.now())
      throw new BroadcastError(
        410,
        `alert.info.expires: the alert expired at ${new Date(expires).toISOString()}`,
        'alert.info.expires',
      );
    const { areaIds, unmatched } = matchAreas(this.deps.areas, info);
    if (areaIds.length === 0)
      throw new BroadcastError(
        422,
        `alert.info.area: no area we know is named (${unmatched.join('; ')})`,
        'alert.info.area',
      );
    const playlist = [await this.audioFor(user, alert, info)];
    const b = await this.broadcasts.emergency(
      user,
      {
        targets: areaIds.map((areaId) => ({ kind: 'area' as const, areaId })),
        playlist,
        repeat: this.repeatOf(info),
        volume: 100,
        title: (info.headline ?? info.event).slice(0, 200),
      },
      'cap',
    );
    this.store(user, alert, info, areaIds, b.id, 'active');
    if (expires !== undefined) this.expireAt(alert.identifier, expires);
    return {
      ...base,
      action: b.status === 'sent' ? 'broadcast' : 'pending-approval',
      broadcastId: b.id,
      areaIds,
      unmatched,
      stopped,
    };
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private repeatOf(info: CapInfo): number {
    const p = info.parameter.find((x) => x.valueName === 'xaso-repeat');
    const n = p ? Number(p.value) : DEFAULT_REPEAT;
    return Number.isInteger(n) && n >= 1 && n <= 20 ? n : DEFAULT_REPEAT;
  }

  /** An audio resource naming a library item by SHA-256, else speech from the alert's text. */
  private async audioFor(user: SessionUser, alert: CapAlert, info: CapInfo): Promise<string> {
    for (const r of info.resource) {
      if (!r.mimeType.startsWith('audio/')) continue;
      const id = SHA256.exec(r.uri ?? '')?.[0];
      if (id && this.deps.audio.get(id)) return id;
    }
    const text = [info.headline, info.description, info.instruction].filter(Boolean).join('. ');
    const synthesize = this.deps.audio.synthesize?.bind(this.deps.audio);
    if (!synthesize || text === '')
      throw new BroadcastError(
        422,
        'alert.info.resource: name a library audio item (an audio/* resource whose uri holds its SHA-256) — text-to-speech is not available',
        'alert.info.resource',
      );
    const item = await synthesize({
      text,
      language: info.language.toLowerCase().startsWith('vi') ? 'vi' : info.language,
      title: `CAP ${alert.identifier}`.slice(0, 200),
      actor: actorName(user),
    });
    return item.id;
  }

  private async stopReferenced(user: SessionUser, alert: CapAlert): Promise<string[]> {
    const ids = referencedIdentifiers(alert.references);
    const rows = ids.flatMap((id) => {
      const row = this.db
        .prepare('SELECT identifier, broadcast_id, state FROM broadcast_cap_alerts WHERE identifier = ?')
        .get(id) as { identifier: string; broadcast_id: string | null; state: string } | undefined;
      return row ? [row] : [];
    });
    if (rows.length === 0)
      throw new BroadcastError(
        404,
        `alert.references: none of ${ids.join(', ')} was received here`,
        'alert.references',
      );
    const stopped: string[] = [];
    for (const row of rows) {
      if (row.state !== 'active' || !row.broadcast_id) continue;
      await this.stopBroadcast(
        row.broadcast_id,
        `${actorName(user)} (CAP ${alert.msgType} ${alert.identifier})`,
      );
      this.setState(row.identifier, alert.msgType === 'Cancel' ? 'cancelled' : 'superseded');
      stopped.push(row.broadcast_id);
    }
    return stopped;
  }

  private async stopBroadcast(broadcastId: string, actor: string): Promise<void> {
    const b = this.broadcasts.get(broadcastId);
    if (b.status === 'sent') await this.broadcasts.stop(null, broadcastId, actor, 'CAP');
    else if (b.status === 'pending-approval') this.broadcasts.withdraw(broadcastId, actor);
  }

  private expireAt(identifier: string, expires: number): void {
    const delay = Math.max(0, expires - this.now());
    // setTimeout cannot wait longer than ~24.8 days; such alerts are re-armed at the next start.
    if (delay > 2 ** 31 - 1) return;
    const timer = setTimeout(() => {
      this.timers.delete(identifier);
      const row = this.db
        .prepare('SELECT broadcast_id, state FROM broadcast_cap_alerts WHERE identifier = ?')
        .get(identifier) as { broadcast_id: string | null; state: string } | undefined;
      if (row?.state !== 'active' || !row.broadcast_id) return;
      this.setState(identifier, 'expired');
      this.stopBroadcast(row.broadcast_id, `CAP expiry ${identifier}`).catch((err: unknown) =>
        this.deps.log.error({ err, identifier }, 'could not stop an expired CAP broadcast'),
      );
    }, delay);
    timer.unref();
    this.timers.set(identifier, timer);
  }

  private setState(identifier: string, state: string): void {
    this.db.prepare('UPDATE broadcast_cap_alerts SET state = ? WHERE identifier = ?').run(state, identifier);
  }

  private store(
    user: SessionUser,
    alert: CapAlert,
    info: CapInfo | undefined,
    areaIds: string[],
    broadcastId: string | null,
    state: string,
  ) {
    this.db
      .prepare(
        `INSERT INTO broadcast_cap_alerts (identifier, sender, sent, msg_type, expires, area_ids, broadcast_id, state, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        alert.identifier,
        alert.sender,
        new Date(alert.sent).toISOString(),
        alert.msgType,
        info?.expires ?? null,
        JSON.stringify(areaIds),
        broadcastId,
        state,
        this.now(),
      );
    this.deps.audit.record({
      actor: actorName(user),
      action: `cap.${alert.msgType.toLowerCase()}`,
      target: alert.identifier,
      detail: { sender: alert.sender, status: alert.status, areaIds, broadcastId, state },
    });
  }

  state(identifier: string) {
    const row = this.db.prepare('SELECT * FROM broadcast_cap_alerts WHERE identifier = ?').get(identifier);
    if (!row) throw new BroadcastError(404, `identifier: no CAP alert "${identifier}"`, 'identifier');
    return row;
  }
}
