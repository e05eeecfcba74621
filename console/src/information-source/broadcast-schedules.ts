import type { Priority } from '@xaso/device-profiles/contract';
import type { ConsoleContext } from '../app/env.js';
import { RecurrenceSchema, startRules } from '../broadcast/schedule/recurrence.js';
import type { Recurrence } from '../broadcast/schedule/recurrence.js';
import { TargetSchema, resolveTarget } from '../broadcast/targets.js';
import { isoToDisplayDate } from '../reports/local-time.js';
import type { ScheduleSummary, ScheduleSummarySource } from './sources.js';

const WEEKDAY_VI: Record<string, string> = {
  mon: 'Thứ Hai',
  tue: 'Thứ Ba',
  wed: 'Thứ Tư',
  thu: 'Thứ Năm',
  fri: 'Thứ Sáu',
  sat: 'Thứ Bảy',
  sun: 'Chủ Nhật',
};

/** The recurrence in words a provincial officer reads. */
export function describeRecurrence(r: Recurrence): string {
  switch (r.kind) {
    case 'once':
      return `Một lần, ${r.time} ngày ${isoToDisplayDate(r.date)}`;
    case 'daily':
      return `Hằng ngày lúc ${r.time}`;
    case 'weekly':
      return `Hằng tuần (${r.days.map((d) => WEEKDAY_VI[d] ?? d).join(', ')}) lúc ${r.time}`;
    case 'dates':
      return `Các ngày ${r.dates.map(isoToDisplayDate).join(', ')} lúc ${r.time}`;
    case 'cron':
      return `Theo lịch cron "${r.cron}" (giờ Việt Nam)`;
  }
}

interface Row {
  id: string;
  title: string;
  target: string;
  recurrence: string;
  playlist: string;
  priority: Priority;
  valid_from: number;
  valid_to: number | null;
}

/** Active schedules from the broadcast module's table, resolved to clusters and described. */
export function broadcastScheduleSummaries(
  ctx: Pick<ConsoleContext, 'db' | 'registry' | 'areas' | 'audio' | 'log'>,
  now: () => number = Date.now,
): ScheduleSummarySource {
  return {
    forClusters(clusterIds) {
      const present = ctx.db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'broadcast_schedules'")
        .get();
      if (!present) return [];
      const wanted = new Set(clusterIds);
      const rows = ctx.db
        .prepare(
          `SELECT id, title, target, recurrence, playlist, priority, valid_from, valid_to
           FROM broadcast_schedules WHERE status = 'active' AND (valid_to IS NULL OR valid_to > ?)`,
        )
        .all(now()) as Row[];
      const out: ScheduleSummary[] = [];
      for (const row of rows) {
        const target = TargetSchema.safeParse(JSON.parse(row.target));
        const recurrence = RecurrenceSchema.safeParse(JSON.parse(row.recurrence));
        if (!target.success || !recurrence.success) {
          ctx.log.warn({ scheduleId: row.id }, 'information source: schedule row does not parse; left out');
          continue;
        }
        let clusters: string[];
        try {
          clusters = resolveTarget(ctx, target.data).clusters.filter((c) => wanted.has(c));
        } catch {
          continue;
        }
        if (clusters.length === 0) continue;
        const rules = startRules(recurrence.data);
        const first = rules[0];
        const playlist = JSON.parse(row.playlist) as string[];
        out.push({
          id: row.id,
          title: row.title,
          priority: row.priority,
          recurrence: describeRecurrence(recurrence.data),
          cron: first && 'cron' in first ? first.cron : null,
          startsAt: first && 'at' in first ? first.at : null,
          validFrom: row.valid_from,
          validTo: row.valid_to,
          durationMs: playlist.reduce((sum, id) => sum + (ctx.audio.get(id)?.durationMs ?? 0), 0),
          clusterIds: clusters,
        });
      }
      return out;
    },
  };
}
