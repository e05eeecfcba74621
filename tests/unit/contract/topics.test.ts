import {
  DEVICE_DOWN,
  DEVICE_UP,
  type DeviceTopicKind,
  IdSchema,
  TOPIC_ROOT,
  filters,
  isId,
  parseTopic,
  topicMatches,
  topics,
} from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';

const ID = 'spk-tanhiep-03';
/** Expected topics are assembled level by level, the way a reader checks them against docs/protocol.md. */
const levels = (...parts: string[]) => [TOPIC_ROOT, ...parts].join('/');
const BAD_IDS = ['a/b', 'a+b', 'a#b', 'Upper', '', 'x'.repeat(65), '-leading-dash', 'dấu'];

describe('topic builders', () => {
  it('build every device topic under the versioned root and parse back to the same parts', () => {
    const built: Record<DeviceTopicKind, string> = {
      status: topics.status(ID),
      telemetry: topics.telemetry(ID),
      event: topics.event(ID),
      ack: topics.ack(ID),
      cmd: topics.command(ID),
      schedule: topics.schedule(ID),
      config: topics.config(ID),
    };
    for (const kind of [...DEVICE_UP, ...DEVICE_DOWN]) {
      expect(built[kind]).toBe(levels('dev', ID, kind));
      expect(topics.deviceTopic(ID, kind)).toBe(built[kind]);
      expect(parseTopic(built[kind])).toEqual({ scope: 'device', deviceId: ID, kind });
    }
  });

  it('build group and alarm topics that parse back', () => {
    expect(topics.groupCommand('xa-tan-hiep')).toBe(levels('grp', 'xa-tan-hiep', 'cmd'));
    expect(parseTopic(topics.groupCommand('xa-tan-hiep'))).toEqual({
      scope: 'group',
      groupId: 'xa-tan-hiep',
      kind: 'cmd',
    });
    expect(topics.alarm('aqs-01')).toBe(levels('alarm', 'aqs-01'));
    expect(parseTopic(topics.alarm('aqs-01'))).toEqual({ scope: 'alarm', stationId: 'aqs-01' });
  });

  it('accept the longest legal id (64 characters) and the allowed punctuation', () => {
    const long = 'a'.repeat(64);
    expect(parseTopic(topics.status(long))).toEqual({ scope: 'device', deviceId: long, kind: 'status' });
    expect(parseTopic(topics.status('0a._-z'))).not.toBeNull();
  });

  it.each(BAD_IDS)('refuse the id %j in every builder', (bad) => {
    expect(() => topics.status(bad)).toThrow(/invalid device id/);
    expect(() => topics.command(bad)).toThrow(/invalid device id/);
    expect(() => topics.deviceTopic(bad, 'telemetry')).toThrow(/invalid device id/);
    expect(() => topics.groupCommand(bad)).toThrow(/invalid group id/);
    expect(() => topics.alarm(bad)).toThrow(/invalid device id/);
  });
});

describe('parseTopic', () => {
  const id = ID;
  it.each([
    ['another root', ['xs', 'v2', 'dev', id, 'status'].join('/')],
    ['no kind', levels('dev', id)],
    ['unknown kind', levels('dev', id, 'firmware')],
    ['an extra level', levels('dev', id, 'status', 'extra')],
    ['a wildcard id', filters.allStatus],
    ['an upper-case id', levels('dev', 'Spk-01', 'status')],
    ['an empty id', levels('dev', '', 'status')],
    ['an overlong id', levels('dev', 'a'.repeat(65), 'status')],
    ['a group topic other than cmd', levels('grp', 'area-1', 'status')],
    ['an alarm topic with a kind', levels('alarm', 'aqs-01', 'raised')],
    ['an unknown scope', levels('svc', id, 'status')],
    ['the bare root', TOPIC_ROOT],
    ['the empty string', ''],
  ])('returns null for %s', (_what, topic) => {
    expect(parseTopic(topic)).toBeNull();
  });

  it('checks ids exactly as IdSchema does (its fast path), for any short string', () => {
    const alphabet = ['a', 'z', '0', '9', '.', '_', '-', '/', '+', '#', 'A', 'đ', ' '];
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const samples = [...BAD_IDS, ID, 'a'.repeat(64)];
    for (let i = 0; i < 2_000; i++) {
      const length = Math.floor(next() * 6) + (i % 50 === 0 ? 60 : 0);
      samples.push(Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
    }
    for (const s of samples) expect(isId(s), s).toBe(IdSchema.safeParse(s).success);
  });
});

describe('topicMatches', () => {
  const telemetry = topics.telemetry(ID);
  it('matches + on exactly one level', () => {
    expect(topicMatches(filters.allTelemetry, telemetry)).toBe(true);
    expect(topicMatches(filters.allTelemetry, topics.status(ID))).toBe(false);
    expect(topicMatches(filters.allAlarms, topics.alarm('aqs-01'))).toBe(true);
    expect(topicMatches(filters.allAlarms, `${topics.alarm('aqs-01')}/more`)).toBe(false);
    expect(topicMatches(levels('+', '+', '+'), telemetry)).toBe(true);
    expect(topicMatches(levels('+', '+'), telemetry)).toBe(false);
  });

  it('matches # on the rest, including the parent level, and only at its position', () => {
    expect(topicMatches(filters.everything, telemetry)).toBe(true);
    expect(topicMatches(filters.everything, topics.groupCommand('area-1'))).toBe(true);
    expect(topicMatches(filters.everything, TOPIC_ROOT)).toBe(true);
    expect(topicMatches(levels('dev', ID, '#'), telemetry)).toBe(true);
    expect(topicMatches(levels('dev', 'other', '#'), telemetry)).toBe(false);
    expect(topicMatches('#', telemetry)).toBe(true);
  });

  it('answers as splitting both on / and comparing level by level would, for any filter and topic', () => {
    const reference = (filter: string, topic: string): boolean => {
      const f = filter.split('/');
      const t = topic.split('/');
      if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
      for (let i = 0; i < f.length; i++) {
        if (f[i] === '#') return true;
        if (i >= t.length) return false;
        if (f[i] !== '+' && f[i] !== t[i]) return false;
      }
      return f.length === t.length;
    };
    const filterLevels = ['a', 'b', 'ab', '', '+', '#'];
    const topicLevels = ['a', 'b', 'ab', '', '$x'];
    let seed = 7;
    const pick = <T>(xs: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return xs[seed % xs.length] as T;
    };
    const path = (xs: string[]) => Array.from({ length: 1 + (seed % 4) }, () => pick(xs)).join('/');
    let matched = 0;
    for (let n = 0; n < 20_000; n++) {
      const filter = path(filterLevels);
      const topic = path(topicLevels);
      const expected = reference(filter, topic);
      if (expected) matched++;
      expect(topicMatches(filter, topic), `${filter} ~ ${topic}`).toBe(expected);
    }
    expect(matched).toBeGreaterThan(1000);
  });

  it('matches an exact filter only on the same topic', () => {
    expect(topicMatches(telemetry, telemetry)).toBe(true);
    expect(topicMatches(telemetry, topics.telemetry('other'))).toBe(false);
    expect(topicMatches(`${telemetry}/x`, telemetry)).toBe(false);
  });

  it('does not let a leading wildcard match $SYS topics', () => {
    expect(topicMatches('#', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('+/broker/uptime', '$SYS/broker/uptime')).toBe(false);
    expect(topicMatches('$SYS/#', '$SYS/broker/uptime')).toBe(true);
  });
});
