import {
  type Command,
  CommandSchema,
  type Schedule,
  ScheduleSchema,
  SignedFields,
} from '@xaso/device-profiles/contract';
import { z } from 'zod';
import {
  type Refusal,
  describeIssues,
  expiryProblem,
  parseJsonPayload,
  signatureProblem,
  unsignedProblem,
} from '../config/signed-message.js';

/** A refusal with what the `refused` event and ack can name: the message id and, for schedules, the version. */
export type Refused = { kind: 'refuse'; id?: string; version?: number } & Refusal;

export type CommandVerdict = { kind: 'accept'; command: Command } | Refused;
export type ScheduleVerdict =
  | { kind: 'accept'; schedule: Schedule }
  | { kind: 'same'; version: number }
  | { kind: 'ignore' }
  | Refused;

export interface MessageCheck {
  deviceId: string;
  signingKeyPem: string | undefined;
  now: number;
  /** Records the id; false when it was accepted before (replay). Called last, only for valid messages. */
  claimId(id: string, expiresAt: number): boolean;
}

export interface CommandCheck extends MessageCheck {
  groups: ReadonlySet<string>;
}

export interface ScheduleCheck extends MessageCheck {
  currentVersion: number | undefined;
}

const IdOnly = z.object({ id: SignedFields.id });
const VersionOnly = z.object({ version: z.number().int().nonnegative() });

/** Whatever id and version a malformed message still carries, so its refusal can be acknowledged. */
function salvage(raw: unknown): { id?: string; version?: number } {
  const id = IdOnly.safeParse(raw);
  const version = VersionOnly.safeParse(raw);
  return {
    id: id.success ? id.data.id : undefined,
    version: version.success ? version.data.version : undefined,
  };
}

function replayProblem(check: MessageCheck, id: string, expiresAt: number): Refusal | null {
  if (check.claimId(id, expiresAt)) return null;
  return { reason: 'replayed', detail: `message ${id} was accepted before` };
}

/** Commands (device or group topic): JSON, contract, target, signature, expiry, then replay — in that order. */
export function judgeCommand(payload: Buffer, check: CommandCheck): CommandVerdict {
  const json = parseJsonPayload(payload);
  if (!('raw' in json)) return { kind: 'refuse', ...json };
  const unsigned = unsignedProblem(json.raw);
  if (unsigned) return { kind: 'refuse', ...unsigned, id: salvage(json.raw).id };
  const parsed = CommandSchema.safeParse(json.raw);
  if (!parsed.success)
    return {
      kind: 'refuse',
      reason: 'malformed',
      detail: describeIssues(parsed.error).slice(0, 500),
      id: salvage(json.raw).id,
    };
  const command = parsed.data;
  const target = command.target;
  const forUs =
    target.kind === 'device' ? target.deviceId === check.deviceId : check.groups.has(target.groupId);
  if (!forUs) {
    const name = target.kind === 'device' ? `device ${target.deviceId}` : `group ${target.groupId}`;
    return { kind: 'refuse', reason: 'wrong-device', detail: `command is for ${name}`, id: command.id };
  }
  const problem =
    signatureProblem(json.raw, check.signingKeyPem) ??
    expiryProblem(command.expiresAt, check.now) ??
    replayProblem(check, command.id, command.expiresAt);
  if (problem) return { kind: 'refuse', ...problem, id: command.id };
  return { kind: 'accept', command };
}

/**
 * Schedules (retained): JSON, contract, device, signature, version, expiry, replay. The same version again
 * is a retained redelivery and is ignored before expiry is looked at: a schedule's expiry bounds when it
 * may be accepted, not how long it runs (entries have their own validity windows).
 */
export function judgeSchedule(payload: Buffer, check: ScheduleCheck): ScheduleVerdict {
  if (payload.length === 0) return { kind: 'ignore' };
  const json = parseJsonPayload(payload);
  if (!('raw' in json)) return { kind: 'refuse', ...json };
  const noSig = unsignedProblem(json.raw);
  if (noSig) return { kind: 'refuse', ...noSig, ...salvage(json.raw) };
  const parsed = ScheduleSchema.safeParse(json.raw);
  if (!parsed.success)
    return {
      kind: 'refuse',
      reason: 'malformed',
      detail: describeIssues(parsed.error).slice(0, 500),
      ...salvage(json.raw),
    };
  const schedule = parsed.data;
  const ref = { id: schedule.id, version: schedule.version };
  if (schedule.deviceId !== check.deviceId)
    return { kind: 'refuse', reason: 'wrong-device', detail: `schedule is for ${schedule.deviceId}`, ...ref };
  const unsigned = signatureProblem(json.raw, check.signingKeyPem);
  if (unsigned) return { kind: 'refuse', ...unsigned, ...ref };
  const current = check.currentVersion;
  if (current !== undefined && schedule.version === current) return { kind: 'same', version: current };
  if (current !== undefined && schedule.version < current)
    return {
      kind: 'refuse',
      reason: 'stale-version',
      detail: `version ${schedule.version} is older than the running version ${current}`,
      ...ref,
    };
  const problem =
    expiryProblem(schedule.expiresAt, check.now) ?? replayProblem(check, schedule.id, schedule.expiresAt);
  if (problem) return { kind: 'refuse', ...problem, ...ref };
  return { kind: 'accept', schedule };
}
