import type { SqliteDatabase } from '@xaso/broker';
import type { Ack } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import { ACK_STATUSES, isTerminal, summarize } from './progress.js';
import type { AckStatus, ClusterDelivery, DeliveryProgress } from './progress.js';

interface Tracked {
  broadcastId: string;
  sentAt: number;
  clusters: Map<string, ClusterDelivery>;
  /** Clusters that have not answered yet, kept as a count so "all delivered?" is O(1) per ack. */
  silent: number;
  listeners: Set<() => void>;
}

interface Pending {
  broadcastId: string;
  clusterId: string;
  status: AckStatus;
  ts: number;
  latencyMs: number;
  reason: string | null;
}

const RANK: Record<AckStatus, number> = { received: 0, playing: 1, done: 2, failed: 2, refused: 2 };
/** Broadcasts kept in memory; older ones are read back from the table. */
const KEEP = 500;

/**
 * Knows which clusters each broadcast expects and records their acks as they arrive. Ack rows are
 * written in batches (one transaction per flush) so a 10,000-cluster emergency is not 50,000 fsyncs.
 */
export class DeliveryTracker {
  private readonly byBroadcast = new Map<string, Tracked>();
  private readonly byCommand = new Map<string, Tracked>();
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly log: Logger,
    private readonly flushMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  /** Call before publishing so no early ack is missed. */
  track(
    broadcastId: string,
    commandIds: readonly string[],
    clusters: readonly string[],
    sentAt: number,
  ): void {
    const tracked: Tracked = {
      broadcastId,
      sentAt,
      clusters: new Map(clusters.map((c) => [c, { clusterId: c, status: null, latencyMs: {} }])),
      silent: new Set(clusters).size,
      listeners: this.byBroadcast.get(broadcastId)?.listeners ?? new Set(),
    };
    this.byBroadcast.set(broadcastId, tracked);
    for (const id of commandIds) this.byCommand.set(id, tracked);
    this.trim();
  }

  /** Adds the ids of later commands (e.g. a stop) to an already tracked broadcast. */
  alsoCommands(broadcastId: string, commandIds: readonly string[]): void {
    const tracked = this.byBroadcast.get(broadcastId);
    if (tracked) for (const id of commandIds) this.byCommand.set(id, tracked);
  }

  /** Returns false when the ack is not about a tracked command or from an unexpected cluster. */
  record(ack: Ack): boolean {
    if (ack.ref.kind !== 'command') return false;
    const tracked = this.byCommand.get(ack.ref.commandId);
    const delivery = tracked?.clusters.get(ack.deviceId);
    if (!tracked || !delivery) return false;
    const latencyMs = Math.max(0, this.now() - tracked.sentAt);
    if (delivery.latencyMs[ack.status] !== undefined) return true;
    delivery.latencyMs[ack.status] = latencyMs;
    const current = delivery.status;
    if (current === null) tracked.silent--;
    if (current === null || (!isTerminal(current) && RANK[ack.status] >= RANK[current])) {
      delivery.status = ack.status;
      if (ack.reason) delivery.reason = ack.reason;
    }
    this.pending.push({
      broadcastId: tracked.broadcastId,
      clusterId: ack.deviceId,
      status: ack.status,
      ts: ack.ts,
      latencyMs,
      reason: ack.reason ?? null,
    });
    this.scheduleFlush();
    for (const listener of tracked.listeners) listener();
    return true;
  }

  progress(broadcastId: string, withClusters = true): DeliveryProgress | undefined {
    const tracked = this.byBroadcast.get(broadcastId) ?? this.load(broadcastId);
    return tracked ? summarize(broadcastId, tracked.sentAt, tracked.clusters, withClusters) : undefined;
  }

  /** Whether the cluster has answered the command; undefined when the command or cluster is not tracked here. */
  answered(commandId: string, clusterId: string): boolean | undefined {
    const delivery = this.byCommand.get(commandId)?.clusters.get(clusterId);
    return delivery === undefined ? undefined : delivery.status !== null;
  }

  /** Whether every expected cluster has answered; cheap enough to ask after every ack. */
  delivered(broadcastId: string): boolean {
    const tracked = this.byBroadcast.get(broadcastId);
    return tracked ? tracked.silent === 0 : (this.progress(broadcastId, false)?.delivered ?? false);
  }

  /** Calls `listener` after every recorded ack of the broadcast; returns the unsubscribe function. */
  watch(broadcastId: string, listener: () => void): () => void {
    const tracked = this.byBroadcast.get(broadcastId) ?? this.load(broadcastId);
    if (!tracked) return () => undefined;
    tracked.listeners.add(listener);
    return () => tracked.listeners.delete(listener);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO broadcast_deliveries (broadcast_id, cluster_id, status, ts, latency_ms, reason)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    try {
      this.db.transaction(() => {
        for (const p of batch) insert.run(p.broadcastId, p.clusterId, p.status, p.ts, p.latencyMs, p.reason);
      })();
    } catch (err) {
      this.log.error(
        { err, rows: batch.length },
        'could not store delivery acks; keeping them for the next flush',
      );
      this.pending.unshift(...batch);
      this.scheduleFlush();
    }
  }

  close(): void {
    this.flush();
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    this.timer.unref();
  }

  private trim(): void {
    while (this.byBroadcast.size > KEEP) {
      const oldest = this.byBroadcast.keys().next().value;
      if (oldest === undefined) break;
      this.byBroadcast.delete(oldest);
      for (const [id, t] of this.byCommand) if (t.broadcastId === oldest) this.byCommand.delete(id);
    }
  }

  /** Rebuilds a broadcast's deliveries from the tables (after a restart or once evicted). */
  private load(broadcastId: string): Tracked | undefined {
    const row = this.db.prepare('SELECT clusters, sent_at FROM broadcasts WHERE id = ?').get(broadcastId) as
      | { clusters: string; sent_at: number | null }
      | undefined;
    if (!row || row.sent_at === null) return undefined;
    this.flush();
    const clusters = new Map<string, ClusterDelivery>(
      (JSON.parse(row.clusters) as string[]).map((c) => [c, { clusterId: c, status: null, latencyMs: {} }]),
    );
    const acks = this.db
      .prepare(
        'SELECT cluster_id, status, latency_ms, reason FROM broadcast_deliveries WHERE broadcast_id = ? ORDER BY latency_ms',
      )
      .all(broadcastId) as {
      cluster_id: string;
      status: AckStatus;
      latency_ms: number;
      reason: string | null;
    }[];
    for (const a of acks) {
      const d = clusters.get(a.cluster_id);
      if (!d || !ACK_STATUSES.includes(a.status)) continue;
      d.latencyMs[a.status] = a.latency_ms;
      if (d.status === null || (!isTerminal(d.status) && RANK[a.status] >= RANK[d.status]))
        d.status = a.status;
      if (a.reason) d.reason = a.reason;
    }
    const silent = [...clusters.values()].filter((d) => d.status === null).length;
    return { broadcastId, sentAt: row.sent_at, clusters, silent, listeners: new Set() };
  }
}
