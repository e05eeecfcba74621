import type { z } from 'zod';
import { AckSchema } from './ack.js';
import { AlarmSchema } from './alarm.js';
import { CommandSchema } from './command.js';
import { DeviceConfigSchema } from './config.js';
import { DeviceEventSchema } from './event.js';
import { ScheduleSchema } from './schedule.js';
import { StatusSchema } from './status.js';
import { TelemetryMessageSchema } from './telemetry.js';
import { type ParsedTopic, parseTopic, topics } from './topics.js';

/** Which schema a topic carries: one table, so no side can pair a topic with the wrong payload. */
export const MESSAGES = {
  status: {
    schema: StatusSchema,
    retained: true,
    qos: 1,
    from: 'device',
    summary: 'Presence and health; the offline form is the last will',
  },
  telemetry: {
    schema: TelemetryMessageSchema,
    retained: false,
    qos: 1,
    from: 'device',
    summary: 'Batches of sensor readings (a list, or a columnar table), sequence-numbered',
  },
  event: {
    schema: DeviceEventSchema,
    retained: false,
    qos: 1,
    from: 'device',
    summary: 'Playback logs, faults, refusals, config results',
  },
  ack: {
    schema: AckSchema,
    retained: false,
    qos: 1,
    from: 'device',
    summary: 'Answers to commands, schedules and configs',
  },
  cmd: {
    schema: CommandSchema,
    retained: false,
    qos: 1,
    from: 'console',
    summary: 'Signed commands to one device',
  },
  schedule: {
    schema: ScheduleSchema,
    retained: true,
    qos: 1,
    from: 'console',
    summary: 'Signed programme of a cluster',
  },
  config: {
    schema: DeviceConfigSchema,
    retained: true,
    qos: 1,
    from: 'console',
    summary: 'Signed remote configuration',
  },
  groupCmd: {
    schema: CommandSchema,
    retained: false,
    qos: 1,
    from: 'console',
    summary: 'Signed command fanned out to an area',
  },
  alarm: {
    schema: AlarmSchema,
    retained: false,
    qos: 1,
    from: 'collector',
    summary: 'Alarm state changes of a station',
  },
} as const;

export type MessageKind = keyof typeof MESSAGES;
export type MessageOf<K extends MessageKind> = z.infer<(typeof MESSAGES)[K]['schema']>;

/** The concrete topic a message kind travels on, for a device, group or station id. */
export function topicOf(kind: MessageKind, id: string): string {
  switch (kind) {
    case 'cmd':
      return topics.command(id);
    case 'groupCmd':
      return topics.groupCommand(id);
    case 'alarm':
      return topics.alarm(id);
    default:
      return topics.deviceTopic(id, kind);
  }
}

export function messageKindOf(parsed: ParsedTopic): MessageKind {
  if (parsed.scope === 'alarm') return 'alarm';
  if (parsed.scope === 'group') return 'groupCmd';
  return parsed.kind;
}

export type DecodedMessage =
  | {
      ok: true;
      topic: ParsedTopic;
      kind: MessageKind;
      message: MessageOf<MessageKind>;
      /** The payload as received (before zod defaults): verify signatures over this, not over `message`. */
      raw: unknown;
    }
  | { ok: false; error: string };

/** Parses topic and payload together; a clear error instead of a throw for anything off-contract. */
export function decodeMessage(topic: string, payload: Buffer | string): DecodedMessage {
  const parsed = parseTopic(topic);
  if (!parsed) return { ok: false, error: `topic ${JSON.stringify(topic)} is not part of the contract` };
  const kind = messageKindOf(parsed);
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch (err) {
    return { ok: false, error: `payload is not JSON: ${(err as Error).message}` };
  }
  const result = MESSAGES[kind].schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: `invalid ${kind} payload: ${issues.join('; ')}` };
  }
  if (parsed.scope === 'device' && 'deviceId' in result.data && result.data.deviceId !== parsed.deviceId) {
    return {
      ok: false,
      error: `payload deviceId ${result.data.deviceId} does not match topic device ${parsed.deviceId}`,
    };
  }
  if (parsed.scope === 'alarm' && 'stationId' in result.data && result.data.stationId !== parsed.stationId) {
    return {
      ok: false,
      error: `payload stationId ${result.data.stationId} does not match topic station ${parsed.stationId}`,
    };
  }
  return { ok: true, topic: parsed, kind, message: result.data, raw: json };
}
