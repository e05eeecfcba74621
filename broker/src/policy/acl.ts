import { DEVICE_DOWN, DEVICE_UP, filters, parseTopic, topicMatches } from '@xaso/device-profiles/contract';
import type { DeviceTopicKind, ParsedTopic } from '@xaso/device-profiles/contract';
import type { Principal, ServiceRole } from './principal.js';
import { filterCovers, hasWildcard, isSaneTopic, isValidFilter } from './topic-shape.js';

const UP = new Set<DeviceTopicKind>(DEVICE_UP);
const DOWN = new Set<DeviceTopicKind>(DEVICE_DOWN);

/** Filters each service may subscribe to (and anything narrower). */
export const SERVICE_SUBSCRIPTIONS: Record<ServiceRole, readonly string[]> = {
  collector: [filters.allStatus, filters.allTelemetry, filters.allEvents, filters.allAcks],
  console: [filters.allStatus, filters.allTelemetry, filters.allEvents, filters.allAcks, filters.allAlarms],
};

function servicePublishes(role: ServiceRole, t: ParsedTopic): boolean {
  if (role === 'collector') return t.scope === 'alarm';
  return t.scope === 'group' || (t.scope === 'device' && DOWN.has(t.kind));
}

/** Whether `p` may publish to `topic` (also used for a client's last-will topic). */
export function canPublish(p: Principal, topic: string): boolean {
  if (!isSaneTopic(topic) || hasWildcard(topic)) return false;
  const t = parseTopic(topic);
  if (t === null) return false;
  if (p.kind === 'service') return servicePublishes(p.role, t);
  return t.scope === 'device' && t.deviceId === p.id && UP.has(t.kind);
}

/** Whether `p` may subscribe to `filter`; devices only ever to exact topics of their own or their groups. */
export function canSubscribe(p: Principal, filter: string): boolean {
  if (!isSaneTopic(filter) || !isValidFilter(filter)) return false;
  if (p.kind === 'service') {
    return SERVICE_SUBSCRIPTIONS[p.role].some((allowed) => filterCovers(allowed, filter, topicMatches));
  }
  if (hasWildcard(filter)) return false;
  const t = parseTopic(filter);
  if (t === null) return false;
  if (t.scope === 'device') return t.deviceId === p.id && DOWN.has(t.kind);
  if (t.scope === 'group') return p.groups.includes(t.groupId);
  return false;
}
