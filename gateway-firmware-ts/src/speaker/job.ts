import type { Command, PlaylistItem, Priority } from '@xaso/device-profiles/contract';
import type { Slot } from './schedule-runner.js';

/** Where a job came from: what its playback events and acks refer to. */
export type JobOrigin =
  | { kind: 'command'; commandId: string }
  | { kind: 'schedule'; version: number; entryId: string; scheduledAt: number };

export type JobContent =
  | { kind: 'playlist'; items: readonly PlaylistItem[]; repeat: number }
  | { kind: 'live'; url: string; durationMs?: number; fallback?: PlaylistItem };

/** Something to play, with how far it got (an interrupted job resumes from here). */
export interface Job {
  broadcastId: string;
  priority: Priority;
  title?: string;
  origin: JobOrigin;
  content: JobContent;
  /** Fixed volume for this job; undefined plays at the cluster's current volume. */
  volume?: number;
  /** Latest start for a schedule slot; a job still queued after it is reported `missed`. */
  startBy?: number;
  progress: { round: number; index: number; offsetMs: number; livePlayedMs: number };
  /** True once the first item started (the `playing` ack went out). */
  started: boolean;
  /** Items that played to the end or part-way; a job none of whose items played has failed. */
  played: number;
}

const RANK: Record<Priority, number> = { emergency: 2, priority: 1, normal: 0 };

export function rankOf(priority: Priority): number {
  return RANK[priority];
}

function fresh(): Pick<Job, 'progress' | 'started' | 'played'> {
  return { progress: { round: 0, index: 0, offsetMs: 0, livePlayedMs: 0 }, started: false, played: 0 };
}

type PlayBody = Extract<Command['body'], { type: 'play' | 'live' }>;

export function jobOfCommand(command: Command, body: PlayBody): Job {
  const origin: JobOrigin = { kind: 'command', commandId: command.id };
  const content: JobContent =
    body.type === 'play'
      ? { kind: 'playlist', items: body.playlist, repeat: body.repeat }
      : {
          kind: 'live',
          url: body.url,
          durationMs: body.durationS === undefined ? undefined : body.durationS * 1000,
          fallback: body.fallback,
        };
  return {
    broadcastId: body.broadcastId,
    priority: body.priority,
    origin,
    content,
    volume: body.volume,
    ...fresh(),
  };
}

export function jobOfSlot(slot: Slot, graceMs: number): Job {
  const { entry } = slot;
  return {
    broadcastId: entry.broadcastId,
    priority: entry.priority,
    title: entry.title,
    origin: { kind: 'schedule', version: slot.version, entryId: entry.id, scheduledAt: slot.scheduledAt },
    content: { kind: 'playlist', items: entry.playlist, repeat: 1 },
    volume: entry.volume,
    startBy: slot.scheduledAt + graceMs,
    ...fresh(),
  };
}

/** The fields every playback event of this job carries. */
export function eventRefOf(job: Job): {
  broadcastId: string;
  priority: Priority;
  commandId?: string;
  scheduleVersion?: number;
  entryId?: string;
  scheduledAt?: number;
} {
  const o = job.origin;
  const base = { broadcastId: job.broadcastId, priority: job.priority };
  return o.kind === 'command'
    ? { ...base, commandId: o.commandId }
    : { ...base, scheduleVersion: o.version, entryId: o.entryId, scheduledAt: o.scheduledAt };
}
