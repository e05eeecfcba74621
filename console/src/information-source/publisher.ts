import { createHash } from 'node:crypto';
import type { SqliteDatabase } from '@xaso/broker';
import type { PlaybackBody, PlaybackCursor, PlaybackEvent } from '../reports/playback-source.js';
import { START_CURSOR } from '../reports/playback-source.js';
import type { BulletinStore } from './bulletin-store.js';
import {
  type ClusterFacts,
  type InformationSourceSources,
  clusters,
  stationOf,
  stations,
} from './sources.js';
import type { Outbox, SyncState } from './store.js';
import {
  type ClusterMessage,
  ClusterMessageSchema,
  LEVEL_TO_WIRE,
  PlaybackLogBatchSchema,
  type PlaybackLogItem,
  type StationMessage,
  StationMessageSchema,
  StationScheduleMessageSchema,
  paths,
  wireTime,
} from './wire.js';

const PHASE: Record<PlaybackBody['phase'], PlaybackLogItem['phase']> = {
  start: 'bat-dau',
  end: 'ket-thuc',
  failed: 'loi',
  interrupted: 'bi-ngat',
  missed: 'bo-lo',
};

const PLAYBACK_CURSOR = 'playback';
/** Batches per sync: a long backlog drains over several ticks instead of one long transaction. */
const MAX_BATCHES_PER_TICK = 20;

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

function clusterState(c: ClusterFacts): ClusterMessage['state'] {
  if (c.disabled) return 'ngung-su-dung';
  if (!c.presence) return 'chua-ro';
  if (c.presence.state === 'offline') return 'mat-ket-noi';
  const speaker = (c.presence.status as { speaker?: { amplifier?: string; playing?: unknown } } | null)
    ?.speaker;
  if (speaker?.amplifier === 'fault') return 'loi';
  if (speaker?.playing) return 'dang-phat';
  return 'hoat-dong';
}

/**
 * Turns our stations, clusters, schedules and proof of broadcast into outbox messages. State messages are
 * enqueued only when they changed since last published (digest without the timestamp).
 */
export class Publisher {
  constructor(
    private readonly deps: {
      sources: InformationSourceSources;
      db: SqliteDatabase;
      outbox: Outbox;
      state: SyncState;
      bulletins: BulletinStore;
      systemCode: string;
      batchSize: number;
    },
  ) {}

  private putIfChanged(key: string, path: string, content: object, body: object, now: number): boolean {
    const { db, state, outbox } = this.deps;
    return db.transaction(() => {
      if (!state.changed(key, digest(content), now)) return false;
      outbox.enqueue({ method: 'PUT', path, body, key }, now);
      return true;
    })();
  }

  /** Returns how many messages were enqueued. */
  collect(now: number): number {
    const { sources } = this.deps;
    let queued = 0;
    const all = clusters(sources);
    const updatedAt = wireTime(now);
    for (const area of stations(sources.areas)) {
      const content: Omit<StationMessage, 'updatedAt'> = {
        code: area.id,
        name: area.name,
        areaPath: sources.areas
          .ancestry(area.id)
          .reverse()
          .map((a) => ({ code: a.id, name: a.name, kind: a.kind })),
        type: 'cntt-vt',
        clusterCount: all.filter((c) => c.stationAreaId === area.id).length,
        lat: area.lat ?? null,
        lon: area.lon ?? null,
      };
      const body = StationMessageSchema.parse({ ...content, updatedAt });
      if (this.putIfChanged(`station:${area.id}`, paths.station(area.id), content, body, now)) queued++;
    }
    for (const c of all) {
      const content: Omit<ClusterMessage, 'updatedAt'> = {
        code: c.id,
        stationCode: c.stationAreaId,
        name: c.name,
        lat: c.lat,
        lon: c.lon,
        state: clusterState(c),
        lastSeenAt: c.presence ? wireTime(c.presence.ts) : null,
      };
      const body = ClusterMessageSchema.parse({ ...content, updatedAt });
      if (this.putIfChanged(`cluster:${c.id}`, paths.cluster(c.id), content, body, now)) queued++;
    }
    queued += this.collectSchedules(all, now);
    queued += this.collectPlayback(all, now);
    return queued;
  }

  private collectSchedules(all: ClusterFacts[], now: number): number {
    const source = this.deps.sources.schedules;
    if (!source) return 0;
    let queued = 0;
    for (const area of stations(this.deps.sources.areas)) {
      const ids = all.filter((c) => c.stationAreaId === area.id).map((c) => c.id);
      const items = source.forClusters(ids).map((s) => ({
        id: s.id,
        title: s.title,
        level: LEVEL_TO_WIRE[s.priority],
        recurrence: s.recurrence,
        cron: s.cron,
        startsAt: s.startsAt === null ? null : wireTime(s.startsAt),
        validFrom: s.validFrom === null ? null : wireTime(s.validFrom),
        validTo: s.validTo === null ? null : wireTime(s.validTo),
        durationS: Math.round(s.durationMs / 1000),
        clusterCodes: s.clusterIds,
      }));
      const content = { stationCode: area.id, items };
      const body = StationScheduleMessageSchema.parse({ ...content, updatedAt: wireTime(now) });
      if (this.putIfChanged(`schedule:${area.id}`, paths.schedule(area.id), content, body, now)) queued++;
    }
    return queued;
  }

  /** Proof of broadcast in batches; the cursor moves in the same transaction that queues the batch. */
  private collectPlayback(all: ClusterFacts[], now: number): number {
    const { sources, state, outbox, db } = this.deps;
    const collector = sources.collector;
    if (!collector) return 0;
    const stationOfCluster = new Map(all.map((c) => [c.id, c.stationAreaId]));
    let queued = 0;
    for (let i = 0; i < MAX_BATCHES_PER_TICK; i++) {
      const saved = state.cursor(PLAYBACK_CURSOR);
      const cursor: PlaybackCursor = saved ? (JSON.parse(saved) as PlaybackCursor) : START_CURSOR;
      const page = collector.receivedAfter(cursor, this.deps.batchSize);
      if (page.events.length === 0 && page.skipped === 0) break;
      const items = this.playbackItems(page.events, stationOfCluster);
      db.transaction(() => {
        if (items.length > 0) {
          const body = PlaybackLogBatchSchema.parse({ systemCode: this.deps.systemCode, items });
          outbox.enqueue({ method: 'POST', path: paths.playbackLogs(), body }, now);
          queued++;
        }
        state.setCursor(PLAYBACK_CURSOR, JSON.stringify(page.cursor));
      })();
    }
    return queued;
  }

  private playbackItems(events: PlaybackEvent[], stationOfCluster: Map<string, string | null>) {
    const audioIds = events.flatMap((e) => (e.body.audioId ? [e.body.audioId] : []));
    const bulletinOf = this.deps.bulletins.bulletinsOfAudio([...new Set(audioIds)]);
    return events.map(
      (e): PlaybackLogItem => ({
        id: `${e.deviceId}:${e.seq}`,
        clusterCode: e.deviceId,
        stationCode:
          stationOfCluster.get(e.deviceId) ??
          stationOf(this.deps.sources.areas, this.deps.sources.registry.getDevice(e.deviceId)?.areaId ?? null)
            ?.id ??
          null,
        broadcastId: e.body.broadcastId,
        bulletinId: (e.body.audioId && bulletinOf.get(e.body.audioId)) || null,
        level: LEVEL_TO_WIRE[e.body.priority],
        phase: PHASE[e.body.phase],
        at: wireTime(e.ts),
        durationS: e.body.durationMs === undefined ? null : e.body.durationMs / 1000,
        reason: e.body.reason ?? null,
      }),
    );
  }
}
