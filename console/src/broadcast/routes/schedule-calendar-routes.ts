import { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv, ConsoleContext } from '../../app/env.js';
import { parseInput } from '../errors.js';
import { ScheduleInputSchema } from '../schedule/schedule-record.js';
import type { Schedules } from '../schedule/schedules.js';
import { DAY_MS, LocalDateSchema, localToEpoch } from '../time.js';
import { jsonBody, userOf } from './http.js';

/** A dry run of a save: the schedule as it would be sent, plus the id being edited (left out of the overlaps). */
export const ScheduleCheckSchema = z.object({
  schedule: ScheduleInputSchema,
  id: z.string().max(100).optional().describe('The schedule being edited, compared with everything else'),
});

export const CalendarQuerySchema = z.object({
  from: LocalDateSchema.describe('First day shown (Asia/Ho_Chi_Minh)'),
  days: z.coerce.number().int().min(1).max(42).default(7),
  areaId: z.string().max(100).optional().describe('Only schedules reaching a cluster in this area'),
});

/** Calendar cells are for people: a cron firing every minute is cut off here rather than flooding the page. */
const MAX_CALENDAR_OCCURRENCES = 2000;

export interface CalendarOccurrence {
  scheduleId: string;
  title: string;
  status: 'active' | 'pending-approval';
  priority: string;
  start: number;
  end: number;
  clusters: number;
}

/** /schedules/check, /schedules/calendar and /broadcast-targets: what the console's broadcast pages ask. */
export function scheduleCalendarRoutes(ctx: ConsoleContext, schedules: Schedules) {
  const app = new OpenAPIHono<AppEnv>();
  const write = ctx.requireRole('operator', 'approver');
  const read = ctx.requireRole('operator', 'approver', 'technician');

  app.post('/schedules/check', write, async (c) => {
    const { schedule, id } = await jsonBody(c, ScheduleCheckSchema);
    return c.json(schedules.check(userOf(c), schedule, id));
  });

  app.get('/schedules/calendar', read, (c) => {
    const query = parseInput(CalendarQuerySchema, c.req.query());
    const from = localToEpoch(query.from);
    const to = from + query.days * DAY_MS;
    const inArea = query.areaId ? new Set(ctx.areas.clustersIn(query.areaId)) : undefined;
    const occurrences: CalendarOccurrence[] = [];
    let truncated = false;
    for (const s of schedules.list()) {
      if (s.status === 'rejected') continue;
      const clusters = schedules.clustersOf(s);
      if (inArea && !clusters.some((id) => inArea.has(id))) continue;
      const durationMs = schedules.durationOf(s.playlist);
      for (const start of schedules.startsOf(s, from, to)) {
        if (occurrences.length >= MAX_CALENDAR_OCCURRENCES) {
          truncated = true;
          break;
        }
        occurrences.push({
          scheduleId: s.id,
          title: s.title,
          status: s.status,
          priority: s.priority,
          start,
          end: start + durationMs,
          clusters: clusters.length,
        });
      }
    }
    occurrences.sort((a, b) => a.start - b.start);
    return c.json({ from, to, occurrences, truncated });
  });

  app.get('/broadcast-targets', read, (c) => {
    const user = userOf(c);
    const clusters = ctx.registry
      .listDevices()
      .filter((d) => d.role === 'speaker-cluster' && !d.disabled && d.areaId !== null);
    const mayAct = (areaId: string) => ctx.areas.userMayAct(user, areaId);
    // Areas the user may act in, and the ones above them so the tree keeps its shape.
    const shown = new Set<string>();
    for (const area of ctx.areas.list())
      if (mayAct(area.id)) for (const a of ctx.areas.ancestry(area.id)) shown.add(a.id);
    const areas = ctx.areas
      .list()
      .filter((a) => shown.has(a.id))
      .map((a) => ({
        ...a,
        mayAct: mayAct(a.id),
        clusters: clusters
          .filter((d) => d.areaId === a.id)
          .map((d) => ({ id: d.id, name: d.name ?? d.id }))
          .sort((x, y) => x.id.localeCompare(y.id)),
        totalClusters: ctx.areas.clustersIn(a.id).length,
      }));
    return c.json({ areas });
  });
  return app;
}
