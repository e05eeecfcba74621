import { DEVICE_DOWN, DEVICE_UP, TOPIC_ROOT, filters, topics } from '@xaso/device-profiles/contract';
import type { DeviceTopicKind } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { canPublish, canSubscribe } from '../../../broker/src/policy/acl.js';
import type { Principal } from '../../../broker/src/policy/principal.js';
import { MAX_TOPIC_BYTES } from '../../../broker/src/policy/topic-shape.js';

const OWN = 'loa-01';
const OTHER = 'loa-02';
const MEMBER = 'xa-an-binh';
const NON_MEMBER = 'xa-tan-lap';

const principals = {
  speaker: { kind: 'device', id: OWN, role: 'speaker-cluster', groups: [MEMBER] },
  gateway: { kind: 'device', id: OWN, role: 'sensor-gateway', groups: [] },
  collector: { kind: 'service', id: '_collector', role: 'collector' },
  console: { kind: 'service', id: '_console', role: 'console' },
} satisfies Record<string, Principal>;
type Who = keyof typeof principals;
const everyone = Object.keys(principals) as Who[];

const isUp = (k: DeviceTopicKind) => (DEVICE_UP as readonly string[]).includes(k);
const kinds: DeviceTopicKind[] = [...DEVICE_UP, ...DEVICE_DOWN];
/** Turns one level of a built topic into a wildcard, so no topic literal is needed. */
const wild = (topic: string, id: string, w: '+' | '#') => topic.replace(id, w);

interface Case {
  what: string;
  topic: string;
  publish: Who[];
  subscribe: Who[];
}

const cases: Case[] = [];
for (const kind of kinds) {
  for (const [owner, id] of [
    ['own', OWN],
    ['other', OTHER],
  ] as const) {
    cases.push({
      what: `${owner} device ${kind}`,
      topic: topics.deviceTopic(id, kind),
      publish: isUp(kind) ? (owner === 'own' ? ['speaker', 'gateway'] : []) : ['console'],
      subscribe: isUp(kind) ? ['collector', 'console'] : owner === 'own' ? ['speaker', 'gateway'] : [],
    });
  }
}
cases.push(
  {
    what: 'member group command',
    topic: topics.groupCommand(MEMBER),
    publish: ['console'],
    subscribe: ['speaker'],
  },
  {
    what: 'non-member group command',
    topic: topics.groupCommand(NON_MEMBER),
    publish: ['console'],
    subscribe: [],
  },
  { what: 'alarm', topic: topics.alarm('tram-01'), publish: ['collector'], subscribe: ['console'] },
  { what: 'all status', topic: filters.allStatus, publish: [], subscribe: ['collector', 'console'] },
  { what: 'all telemetry', topic: filters.allTelemetry, publish: [], subscribe: ['collector', 'console'] },
  { what: 'all events', topic: filters.allEvents, publish: [], subscribe: ['collector', 'console'] },
  { what: 'all acks', topic: filters.allAcks, publish: [], subscribe: ['collector', 'console'] },
  { what: 'all alarms', topic: filters.allAlarms, publish: [], subscribe: ['console'] },
  { what: 'everything', topic: filters.everything, publish: [], subscribe: [] },
  { what: 'bare #', topic: '#', publish: [], subscribe: [] },
  {
    what: 'own device, any kind (+)',
    topic: wild(topics.command(OWN), 'cmd', '+'),
    publish: [],
    subscribe: [],
  },
  {
    what: 'own device, everything (#)',
    topic: wild(topics.command(OWN), 'cmd', '#'),
    publish: [],
    subscribe: [],
  },
  { what: 'any device command', topic: wild(topics.command(OWN), OWN, '+'), publish: [], subscribe: [] },
  {
    what: 'any group command',
    topic: wild(topics.groupCommand(MEMBER), MEMBER, '+'),
    publish: [],
    subscribe: [],
  },
  {
    what: 'status, trailing # instead of kind',
    topic: wild(topics.status(OWN), 'status', '#'),
    publish: [],
    subscribe: [],
  },
  { what: '$SYS tree', topic: '$SYS/#', publish: [], subscribe: [] },
  { what: '$SYS topic', topic: '$SYS/broker/clients/connected', publish: [], subscribe: [] },
  { what: 'shared subscription', topic: `$share/g/${filters.allTelemetry}`, publish: [], subscribe: [] },
  { what: 'outside the contract', topic: 'home/kitchen/light', publish: [], subscribe: [] },
  {
    what: 'another contract version',
    topic: topics.telemetry(OWN).replace(TOPIC_ROOT, `${TOPIC_ROOT}x`),
    publish: [],
    subscribe: [],
  },
  {
    what: 'unknown kind',
    topic: wild(topics.status(OWN), 'status', 'firmware' as '+'),
    publish: [],
    subscribe: [],
  },
  { what: 'extra level', topic: `${topics.telemetry(OWN)}/extra`, publish: [], subscribe: [] },
  { what: 'empty level', topic: topics.telemetry(OWN).replace(OWN, ''), publish: [], subscribe: [] },
  { what: 'empty topic', topic: '', publish: [], subscribe: [] },
  {
    what: 'NUL inside',
    topic: topics.telemetry(OWN).replace(OWN, `${OWN}\u0000`),
    publish: [],
    subscribe: [],
  },
  {
    what: 'invalid UTF-8 (decoded as U+FFFD)',
    topic: topics.telemetry(OWN).replace(OWN, `${OWN}\uFFFD`),
    publish: [],
    subscribe: [],
  },
  {
    what: 'lone surrogate',
    topic: topics.telemetry(OWN).replace(OWN, `${OWN}\uD800`),
    publish: [],
    subscribe: [],
  },
  {
    what: 'overlong topic',
    topic: `${topics.telemetry(OWN)}/${'x'.repeat(MAX_TOPIC_BYTES)}`,
    publish: [],
    subscribe: [],
  },
  {
    what: 'too many levels',
    topic: `${topics.telemetry(OWN)}${'/a'.repeat(10)}`,
    publish: [],
    subscribe: [],
  },
  {
    what: 'malformed wildcard',
    topic: wild(topics.status(OWN), OWN, 'lo+a' as '+'),
    publish: [],
    subscribe: [],
  },
  { what: '# not last', topic: wild(topics.status(OWN), 'dev', '#'), publish: [], subscribe: [] },
);

describe('ACL from the wire contract', () => {
  for (const c of cases) {
    for (const who of everyone) {
      const p = principals[who];
      it(`${who} ${c.publish.includes(who) ? 'may' : 'may not'} publish to ${c.what}`, () => {
        expect(canPublish(p, c.topic)).toBe(c.publish.includes(who));
      });
      it(`${who} ${c.subscribe.includes(who) ? 'may' : 'may not'} subscribe to ${c.what}`, () => {
        expect(canSubscribe(p, c.topic)).toBe(c.subscribe.includes(who));
      });
    }
  }

  it('a device that is not in a group cannot subscribe to it, and groups are per device', () => {
    const inGroup: Principal = { kind: 'device', id: OTHER, role: 'speaker-cluster', groups: [NON_MEMBER] };
    expect(canSubscribe(inGroup, topics.groupCommand(NON_MEMBER))).toBe(true);
    expect(canSubscribe(inGroup, topics.groupCommand(MEMBER))).toBe(false);
    expect(canSubscribe(inGroup, topics.command(OWN))).toBe(false);
    expect(canSubscribe(inGroup, topics.command(OTHER))).toBe(true);
  });

  it('services may narrow an allowed filter to one device but not widen it', () => {
    const { collector } = principals;
    expect(canSubscribe(collector, wild(filters.allTelemetry, '+', OWN as '+'))).toBe(true);
    expect(canSubscribe(collector, wild(filters.allTelemetry, 'telemetry', '#'))).toBe(false);
    expect(canSubscribe(collector, wild(filters.allTelemetry, 'telemetry', '+'))).toBe(false);
  });
});
