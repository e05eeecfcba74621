import type { Recurrence, ScheduleInput, ScheduleRecord, Target } from './broadcast-api.js';
import type { Weekday } from './week.js';

/** What the schedule editor holds while a person fills it in; turned into the API's input when complete. */
export interface ScheduleDraft {
  title: string;
  playlist: string[];
  kind: 'once' | 'daily' | 'weekly' | 'dates';
  date: string;
  days: Weekday[];
  dates: string[];
  time: string;
  validFrom: string;
  validTo: string;
  volume: number;
  priority: 'normal' | 'priority';
  target: Target | undefined;
  allowConflicts: boolean;
}

export function emptyDraft(today: string): ScheduleDraft {
  return {
    title: '',
    playlist: [],
    kind: 'once',
    date: today,
    days: [],
    dates: [],
    time: '',
    validFrom: '',
    validTo: '',
    volume: 80,
    priority: 'normal',
    target: undefined,
    allowConflicts: false,
  };
}

/** A stored schedule back into the editor; a raw cron (made through the API) cannot be edited here. */
export function draftOf(s: ScheduleRecord, localDate: (ms: number) => string): ScheduleDraft | undefined {
  const r = s.recurrence;
  if (r.kind === 'cron') return undefined;
  return {
    title: s.title,
    playlist: [...s.playlist],
    kind: r.kind,
    date: r.kind === 'once' ? r.date : localDate(s.validFrom),
    days: r.kind === 'weekly' ? [...r.days] : [],
    dates: r.kind === 'dates' ? [...r.dates] : [],
    time: r.time.slice(0, 5),
    validFrom: r.kind === 'once' || r.kind === 'dates' ? '' : localDate(s.validFrom),
    validTo: s.validTo === null ? '' : localDate(s.validTo - 1),
    volume: s.volume,
    priority: s.priority === 'priority' ? 'priority' : 'normal',
    target: s.target,
    allowConflicts: s.warnings.length > 0,
  };
}

function recurrenceOf(d: ScheduleDraft): Recurrence {
  switch (d.kind) {
    case 'once':
      return { kind: 'once', date: d.date, time: d.time };
    case 'daily':
      return { kind: 'daily', time: d.time };
    case 'weekly':
      return { kind: 'weekly', days: d.days, time: d.time };
    case 'dates':
      return { kind: 'dates', dates: [...d.dates].sort(), time: d.time };
  }
}

/** The API input, or the first missing field (so the editor asks for it instead of sending). */
export function toInput(d: ScheduleDraft): { input: ScheduleInput } | { missing: string } {
  if (d.title.trim() === '') return { missing: 'title' };
  if (!d.target) return { missing: 'target' };
  if (d.playlist.length === 0) return { missing: 'playlist' };
  if (!/^\d{2}:\d{2}$/.test(d.time)) return { missing: 'recurrence.time' };
  if (d.kind === 'weekly' && d.days.length === 0) return { missing: 'recurrence.days' };
  if (d.kind === 'dates' && d.dates.length === 0) return { missing: 'recurrence.dates' };
  if (d.kind === 'once' && d.date === '') return { missing: 'recurrence.date' };
  const repeating = d.kind === 'daily' || d.kind === 'weekly';
  return {
    input: {
      title: d.title.trim(),
      target: d.target,
      recurrence: recurrenceOf(d),
      playlist: d.playlist,
      ...(repeating && d.validFrom ? { validFrom: d.validFrom } : {}),
      ...(repeating && d.validTo ? { validTo: d.validTo } : {}),
      volume: d.volume,
      priority: d.priority,
      allowConflicts: d.allowConflicts,
    },
  };
}
