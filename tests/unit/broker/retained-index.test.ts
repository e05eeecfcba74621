import { TOPIC_ROOT, topicMatches } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { RetainedIndex } from '../../../broker/src/server/retained-index.js';

/** A topic under the contract's root, level by level (this index is generic; the root makes it realistic). */
const t = (...levels: string[]) => [TOPIC_ROOT, ...levels].join('/');

const TOPICS = [
  t('dev', 'loa-01', 'status'),
  t('dev', 'loa-01', 'config'),
  t('dev', 'loa-02', 'status'),
  t('grp', 'xa-an-binh', 'cmd'),
  t('alarm', 'tram-01'),
  t(),
  'xs',
  'a//b',
  '/lead',
  '$SYS/broker/uptime',
  '$internal/x',
  'sport/tennis/player1',
  'sport/tennis/player1/ranking',
  'sport',
];

const FILTERS = [
  '#',
  '+',
  '+/+',
  '+/#',
  'xs/#',
  t('#'),
  t('dev', '+', 'status'),
  t('dev', 'loa-01', '#'),
  t('+', '+', '+'),
  t('dev', 'loa-01', 'status'),
  t('dev', 'loa-03', 'status'),
  'a/+/b',
  'a//b',
  '+/lead',
  '/+',
  '$SYS/#',
  '$SYS/+/uptime',
  'sport/#',
  'sport/tennis/+',
  'sport/+',
];

describe('RetainedIndex', () => {
  it('matches exactly what the contract’s MQTT matcher matches, $-topics included', () => {
    const index = new RetainedIndex();
    for (const t of TOPICS) index.add(t);
    expect(index.size).toBe(TOPICS.length);
    for (const filter of FILTERS) {
      const expected = TOPICS.filter((t) => topicMatches(filter, t)).sort();
      expect(index.match(filter), filter).toEqual(expected);
    }
  });

  it('never lets a leading wildcard reach a $-topic, while an explicit $ filter does', () => {
    const index = new RetainedIndex();
    index.add('$SYS/broker/uptime');
    index.add(t('alarm', 'tram-01'));
    expect(index.match('#')).toEqual([t('alarm', 'tram-01')]);
    expect(index.match('+/broker/uptime')).toEqual([]);
    expect(index.match('$SYS/#')).toEqual(['$SYS/broker/uptime']);
  });

  it('`a/#` includes the parent topic `a` itself', () => {
    const index = new RetainedIndex();
    index.add('sport');
    index.add('sport/tennis');
    expect(index.match('sport/#')).toEqual(['sport', 'sport/tennis']);
  });

  it('deletes topics, prunes empty branches and ignores deleting what is not there', () => {
    const index = new RetainedIndex();
    index.add(t('dev', 'loa-01', 'status'));
    index.add(t('dev', 'loa-01', 'status'));
    index.add(t('dev', 'loa-01'));
    expect(index.size).toBe(2);
    index.delete(t('dev', 'loa-01', 'status'));
    index.delete(t('dev', 'loa-01', 'status'));
    index.delete(t('nowhere'));
    expect(index.size).toBe(1);
    expect(index.has(t('dev', 'loa-01', 'status'))).toBe(false);
    expect(index.match('#')).toEqual([t('dev', 'loa-01')]);
    index.delete(t('dev', 'loa-01'));
    expect(index.size).toBe(0);
    expect(index.match('#')).toEqual([]);
    index.add(t('dev', 'loa-01', 'status'));
    expect(index.match(t('dev', '+', 'status'))).toEqual([t('dev', 'loa-01', 'status')]);
  });
});
