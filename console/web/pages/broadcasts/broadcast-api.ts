import type { z } from 'zod';
import type { DeliveryProgress } from '../../../src/broadcast/delivery/progress.js';
import type { BroadcastRecord } from '../../../src/broadcast/live/request.js';
import type { CalendarOccurrence } from '../../../src/broadcast/routes/schedule-calendar-routes.js';
import type { ScheduleInputSchema, ScheduleRecord } from '../../../src/broadcast/schedule/schedule-record.js';
import type { SaveResult, ScheduleCheck } from '../../../src/broadcast/schedule/schedules.js';
import type { Target } from '../../../src/broadcast/targets.js';
import { type Area, api } from '../../api.js';

// Types only: the server's schemas and records describe the wire; none of their code reaches the bundle.
export type ScheduleInput = z.input<typeof ScheduleInputSchema>;
export type Recurrence = ScheduleInput['recurrence'];
export type {
  BroadcastRecord,
  CalendarOccurrence,
  DeliveryProgress,
  SaveResult,
  ScheduleCheck,
  ScheduleRecord,
  Target,
};

export interface TargetArea extends Area {
  /** The user may broadcast here (ancestors are listed only to keep the tree's shape). */
  mayAct: boolean;
  /** Clusters placed directly in this area. */
  clusters: { id: string; name: string }[];
  totalClusters: number;
}

export interface Calendar {
  from: number;
  to: number;
  occurrences: CalendarOccurrence[];
  truncated: boolean;
}

export interface Approvals {
  broadcasts: BroadcastRecord[];
  schedules: ScheduleRecord[];
}

export type PlayRequest =
  | { kind: 'play'; targets: Target[]; playlist: string[]; repeat?: number; volume?: number; title?: string }
  | { kind: 'live'; targets: Target[]; url: string; durationS?: number; volume?: number; title?: string };

export interface EmergencyRequest {
  targets: Target[];
  playlist: string[];
  repeat: number;
  title?: string;
}

const path = (id: string) => encodeURIComponent(id);

/** The broadcast API as the console's broadcast and emergency pages use it. */
export const broadcastApi = {
  targets: (): Promise<{ areas: TargetArea[] }> => api.request('GET', '/api/broadcast-targets'),
  calendar: (from: string, areaId: string, days = 7): Promise<Calendar> =>
    api.request(
      'GET',
      `/api/schedules/calendar?${new URLSearchParams({ from, areaId, days: String(days) })}`,
    ),
  schedule: (id: string): Promise<ScheduleRecord> => api.request('GET', `/api/schedules/${path(id)}`),
  check: (schedule: ScheduleInput, id?: string): Promise<ScheduleCheck> =>
    api.request('POST', '/api/schedules/check', { schedule, ...(id ? { id } : {}) }),
  save: (schedule: ScheduleInput, id?: string): Promise<SaveResult> =>
    id
      ? api.request('PUT', `/api/schedules/${path(id)}`, schedule)
      : api.request('POST', '/api/schedules', schedule),
  remove: (id: string): Promise<{ deleted: true }> => api.request('DELETE', `/api/schedules/${path(id)}`),
  approvals: (): Promise<Approvals> => api.request('GET', '/api/approvals'),
  decide: (kind: 'schedules' | 'broadcasts', id: string, approve: boolean, note: string): Promise<unknown> =>
    api.request('POST', `/api/${kind}/${path(id)}/${approve ? 'approve' : 'reject'}`, note ? { note } : {}),
  play: (request: PlayRequest): Promise<BroadcastRecord> => api.request('POST', '/api/broadcasts', request),
  emergency: (request: EmergencyRequest): Promise<BroadcastRecord> =>
    api.request('POST', '/api/broadcasts/emergency', request),
  stop: (id: string): Promise<BroadcastRecord> => api.request('POST', `/api/broadcasts/${path(id)}/stop`, {}),
  delivery: (id: string): Promise<DeliveryProgress> =>
    api.request('GET', `/api/broadcasts/${path(id)}/delivery`),
  deliveryStreamUrl: (id: string): string => `/api/broadcasts/${path(id)}/delivery/stream`,
};
