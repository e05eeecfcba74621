import type { Priority } from '@xaso/device-profiles/contract';
import type { BroadcastRecordSource } from './broadcast-records.js';
import { localDayKey } from './local-time.js';
import type { PlaybackEvent } from './playback-source.js';

export type PlaybackOutcome = 'played' | 'interrupted' | 'failed' | 'missed' | 'incomplete';

/** One line of the broadcast log: one item a cluster played (or failed, missed, was cut off). */
export interface BroadcastLogRow {
  clusterId: string;
  clusterName: string;
  areaId: string | null;
  areaName: string;
  broadcastId: string;
  title: string;
  priority: Priority;
  scheduledAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number;
  outcome: PlaybackOutcome;
  reason: string | null;
  requestedBy: string | null;
  approvedBy: string | null;
  /** When the row is placed in the period: start, or the failure/miss time. */
  at: number;
}

export interface ReportTotals {
  key: string;
  label: string;
  played: number;
  interrupted: number;
  failed: number;
  missed: number;
  incomplete: number;
  playedMs: number;
}

export interface BroadcastLog {
  areaId: string;
  areaName: string;
  from: number;
  to: number;
  generatedAt: number;
  rows: BroadcastLogRow[];
  perCluster: ReportTotals[];
  perDay: ReportTotals[];
  total: ReportTotals;
}

export interface ClusterInfo {
  id: string;
  name: string;
  areaId: string | null;
  areaName: string;
}

export interface BuildInput {
  areaId: string;
  areaName: string;
  from: number;
  to: number;
  clusters: ClusterInfo[];
  events: PlaybackEvent[];
  broadcasts: BroadcastRecordSource;
  titleOfAudio: (audioId: string) => string | undefined;
  now: number;
}

/**
 * Start and its end are one play, keyed by what the device ran (a command, or a schedule slot); items of
 * one playlist play in turn, so a new start closes nothing but the previous item's draft.
 */
function slotKey(e: PlaybackEvent): string {
  const b = e.body;
  const run = b.commandId ?? `${b.scheduleVersion ?? ''}/${b.entryId ?? ''}/${b.scheduledAt ?? ''}`;
  return `${e.deviceId}|${b.broadcastId}|${run}`;
}

interface Draft {
  start: PlaybackEvent | null;
  close: PlaybackEvent | null;
  first: PlaybackEvent;
}

function outcomeOf(d: Draft): PlaybackOutcome {
  const phase = d.close?.body.phase;
  if (phase === 'end') return 'played';
  if (phase === 'interrupted' || phase === 'failed' || phase === 'missed') return phase;
  return 'incomplete';
}

function durationOf(d: Draft): number {
  if (d.close?.body.durationMs !== undefined) return d.close.body.durationMs;
  if (d.start && d.close && (d.close.body.phase === 'end' || d.close.body.phase === 'interrupted')) {
    return Math.max(0, d.close.ts - d.start.ts);
  }
  return 0;
}

/** Pairs start with end/interrupted/failed per slot; a lone failed or missed event is a row of its own. */
function pair(events: PlaybackEvent[]): Draft[] {
  const open = new Map<string, Draft>();
  const done: Draft[] = [];
  for (const e of [...events].sort((a, b) => a.ts - b.ts || a.seq - b.seq)) {
    const key = slotKey(e);
    const current = open.get(key);
    if (e.body.phase === 'start') {
      if (current) done.push(current);
      open.set(key, { start: e, close: null, first: e });
      continue;
    }
    if (current) {
      current.close = e;
      open.delete(key);
      done.push(current);
    } else {
      done.push({ start: null, close: e, first: e });
    }
  }
  done.push(...open.values());
  return done;
}

function emptyTotals(key: string, label: string): ReportTotals {
  return { key, label, played: 0, interrupted: 0, failed: 0, missed: 0, incomplete: 0, playedMs: 0 };
}

function add(t: ReportTotals, row: BroadcastLogRow): void {
  t[row.outcome]++;
  t.playedMs += row.durationMs;
}

export function buildBroadcastLog(input: BuildInput): BroadcastLog {
  const clusters = new Map(input.clusters.map((c) => [c.id, c]));
  const drafts = pair(input.events);
  const records = input.broadcasts.lookup([...new Set(drafts.map((d) => d.first.body.broadcastId))]);
  const rows: BroadcastLogRow[] = [];
  for (const d of drafts) {
    const body = d.first.body;
    const cluster = clusters.get(d.first.deviceId);
    const at = d.start?.ts ?? d.close?.body.scheduledAt ?? d.first.ts;
    if (at < input.from || at >= input.to) continue;
    const record = records.get(body.broadcastId);
    const audioTitle = body.audioId ? input.titleOfAudio(body.audioId) : undefined;
    rows.push({
      clusterId: d.first.deviceId,
      clusterName: cluster?.name ?? d.first.deviceId,
      areaId: cluster?.areaId ?? null,
      areaName: cluster?.areaName ?? '',
      broadcastId: body.broadcastId,
      title: record?.title ?? audioTitle ?? body.broadcastId,
      priority: body.priority,
      scheduledAt: body.scheduledAt ?? d.close?.body.scheduledAt ?? null,
      startedAt: d.start?.ts ?? null,
      endedAt: d.close && d.close.body.phase !== 'missed' ? d.close.ts : null,
      durationMs: durationOf(d),
      outcome: outcomeOf(d),
      reason: d.close?.body.reason ?? null,
      requestedBy: record?.requestedBy ?? null,
      approvedBy: record?.approvedBy ?? null,
      at,
    });
  }
  rows.sort((a, b) => a.at - b.at || a.clusterId.localeCompare(b.clusterId));

  const perCluster = new Map<string, ReportTotals>();
  for (const c of input.clusters) perCluster.set(c.id, emptyTotals(c.id, c.name));
  const perDay = new Map<string, ReportTotals>();
  const total = emptyTotals('total', 'Tổng cộng');
  for (const row of rows) {
    const c = perCluster.get(row.clusterId) ?? emptyTotals(row.clusterId, row.clusterName);
    perCluster.set(row.clusterId, c);
    add(c, row);
    const day = localDayKey(row.at);
    const t = perDay.get(day) ?? emptyTotals(day, day);
    perDay.set(day, t);
    add(t, row);
    add(total, row);
  }
  return {
    areaId: input.areaId,
    areaName: input.areaName,
    from: input.from,
    to: input.to,
    generatedAt: input.now,
    rows,
    perCluster: [...perCluster.values()].sort((a, b) => a.key.localeCompare(b.key)),
    perDay: [...perDay.values()].sort((a, b) => a.key.localeCompare(b.key)),
    total,
  };
}
