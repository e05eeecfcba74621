import { DeviceIdSchema, GroupIdSchema, isId } from './ids.js';

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
  if (id === undefined || !isId(id)) return null;
  if (scope === 'alarm' && kind === undefined) return { scope: 'alarm', stationId: id };
  if (rest.length > 0 || kind === undefined) return null;
  if (scope === 'dev' && KINDS.has(kind))
    return { scope: 'device', deviceId: id, kind: kind as DeviceTopicKind };
  if (scope === 'grp' && kind === 'cmd') return { scope: 'group', groupId: id, kind: 'cmd' };
  return null;
}

const PLUS = 43;
const HASH = 35;

/**
 * True when an MQTT topic filter (with + and #) matches a concrete topic. It walks both strings level by level
 * without splitting them: the broker's ACL and every service's dispatch call it for each message.
 */
export function topicMatches(filter: string, topic: string): boolean {
  // MQTT: wildcards at the first level never match system topics such as $SYS/...
  if (topic.startsWith('$') && (filter.charCodeAt(0) === PLUS || filter.charCodeAt(0) === HASH)) return false;
  let fs = 0;
  let ts = 0;
  for (;;) {
    const fe = filter.indexOf('/', fs);
    const fEnd = fe === -1 ? filter.length : fe;
    const single = fEnd - fs === 1;
    if (single && filter.charCodeAt(fs) === HASH) return true;
    // The topic has no level left where the filter still has one.
    if (ts > topic.length) return false;
    const te = topic.indexOf('/', ts);
    const tEnd = te === -1 ? topic.length : te;
    if (!(single && filter.charCodeAt(fs) === PLUS)) {
      if (tEnd - ts !== fEnd - fs) return false;
      for (let k = 0; k < fEnd - fs; k++)
        if (filter.charCodeAt(fs + k) !== topic.charCodeAt(ts + k)) return false;
    }
    if (fe === -1) return te === -1;
    fs = fe + 1;
    ts = te === -1 ? topic.length + 1 : te + 1;
  }
}
