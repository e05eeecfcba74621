import { DeviceIdSchema, GroupIdSchema } from './ids.js';

/** Versioned root: a v2 contract can run beside v1 during a fleet upgrade. */
export const TOPIC_ROOT = 'xs/v1';

/** What a device publishes (up) and what it receives (down). */
export const DEVICE_UP = ['status', 'telemetry', 'event', 'ack'] as const;
export const DEVICE_DOWN = ['cmd', 'schedule', 'config'] as const;
export type DeviceUpKind = (typeof DEVICE_UP)[number];
export type DeviceDownKind = (typeof DEVICE_DOWN)[number];
export type DeviceTopicKind = DeviceUpKind | DeviceDownKind;

/** Retained topics: a device (re)connecting gets the latest state at once. */
export const RETAINED_KINDS: readonly DeviceTopicKind[] = ['status', 'schedule', 'config'];

export type ParsedTopic =
  | { scope: 'device'; deviceId: string; kind: DeviceTopicKind }
  | { scope: 'group'; groupId: string; kind: 'cmd' }
  | { scope: 'alarm'; stationId: string };

function checkId(id: string, what: 'device' | 'group'): string {
  const schema = what === 'device' ? DeviceIdSchema : GroupIdSchema;
  const result = schema.safeParse(id);
  if (!result.success) throw new Error(`invalid ${what} id ${JSON.stringify(id)} for a topic`);
  return id;
}

/** Topic builders: the only place topic strings are assembled. */
export const topics = {
  status: (deviceId: string) => `${TOPIC_ROOT}/dev/${checkId(deviceId, 'device')}/status`,
  telemetry: (deviceId: string) => `${TOPIC_ROOT}/dev/${checkId(deviceId, 'device')}/telemetry`,
  event: (deviceId: string) => `${TOPIC_ROOT}/dev/${checkId(deviceId, 'device')}/event`,
  ack: (deviceId: string) => `${TOPIC_ROOT}/dev/${checkId(deviceId, 'device')}/ack`,
  command: (deviceId: string) => `${TOPIC_ROOT}/dev/${checkId(deviceId, 'device')}/cmd`,
  schedule: (deviceId: string) => `${TOPIC_ROOT}/dev/${checkId(deviceId, 'device')}/schedule`,
  config: (deviceId: string) => `${TOPIC_ROOT}/dev/${checkId(deviceId, 'device')}/config`,
  groupCommand: (groupId: string) => `${TOPIC_ROOT}/grp/${checkId(groupId, 'group')}/cmd`,
  alarm: (stationId: string) => `${TOPIC_ROOT}/alarm/${checkId(stationId, 'device')}`,
  deviceTopic: (deviceId: string, kind: DeviceTopicKind) =>
    `${TOPIC_ROOT}/dev/${checkId(deviceId, 'device')}/${kind}`,
} as const;

/** Subscription filters for services (collector, console). */
export const filters = {
  allStatus: `${TOPIC_ROOT}/dev/+/status`,
  allTelemetry: `${TOPIC_ROOT}/dev/+/telemetry`,
  allEvents: `${TOPIC_ROOT}/dev/+/event`,
  allAcks: `${TOPIC_ROOT}/dev/+/ack`,
  allAlarms: `${TOPIC_ROOT}/alarm/+`,
  /** Everything under the contract's root, for services that see the whole fleet. */
  everything: `${TOPIC_ROOT}/#`,
} as const;

const KINDS = new Set<string>([...DEVICE_UP, ...DEVICE_DOWN]);

/** Parses a concrete topic (no wildcards); null when it is not part of the contract. */
export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length < 4 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return null;
  const [, , scope, id, kind, ...rest] = parts;
  if (id === undefined || !DeviceIdSchema.safeParse(id).success) return null;
  if (scope === 'alarm' && kind === undefined) return { scope: 'alarm', stationId: id };
  if (rest.length > 0 || kind === undefined) return null;
  if (scope === 'dev' && KINDS.has(kind))
    return { scope: 'device', deviceId: id, kind: kind as DeviceTopicKind };
  if (scope === 'grp' && kind === 'cmd') return { scope: 'group', groupId: id, kind: 'cmd' };
  return null;
}

/** True when an MQTT topic filter (with + and #) matches a concrete topic. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // MQTT: wildcards at the first level never match system topics such as $SYS/...
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
