import { topics } from '@xaso/device-profiles/contract';
import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PublishFrames, type PublishSource } from '../../../broker/src/server/publish-frame.js';

const reference = (source: PublishSource, qos: 0 | 1 | 2, messageId: number) =>
  generate({
    cmd: 'publish',
    topic: source.topic,
    payload: source.payload,
    qos,
    retain: source.retain,
    dup: source.dup,
    ...(qos > 0 ? { messageId } : {}),
  });

const source = (payload: Buffer, topic = topics.command('spk-1'), more: Partial<PublishSource> = {}) => ({
  topic,
  payload,
  retain: false,
  dup: false,
  ...more,
});

describe('PublishFrames: a message framed once for every subscriber', () => {
  it('encodes exactly what mqtt-packet generates, for every flag, QoS and length class', () => {
    const frames = new PublishFrames();
    // Remaining lengths of 1, 2, 3 and 4 bytes; frames under and over the copy limit.
    const payloads = [0, 1, 100, 127, 128, 5000, 20_000, 2_100_000].map((n) => Buffer.alloc(n, n % 251));
    for (const payload of payloads)
      for (const qos of [0, 1, 2] as const)
        for (const flags of [{}, { retain: true }, { dup: true }, { retain: true, dup: true }]) {
          const s = source(payload, `${topics.command('loa')}/xã-số`, flags);
          const ours = Buffer.concat(frames.chunks(s, qos, 4242));
          expect(ours.equals(reference(s, qos, 4242)), `${payload.length} B, QoS ${qos}`).toBe(true);
        }
  });

  it('gives each subscriber its own packet id without touching frames already handed out', () => {
    const frames = new PublishFrames();
    const s = source(Buffer.from('round 7'));
    const first = Buffer.concat(frames.chunks(s, 1, 1));
    const second = Buffer.concat(frames.chunks(s, 1, 65_535));
    expect(first).toEqual(reference(s, 1, 1));
    expect(second).toEqual(reference(s, 1, 65_535));
  });

  it('shares a large payload between subscribers instead of copying it', () => {
    const frames = new PublishFrames();
    const s = source(Buffer.alloc(10_000, 7));
    const [a, b] = [frames.chunks(s, 1, 1), frames.chunks(s, 1, 2)];
    expect(a).toHaveLength(3);
    expect(a[2]?.buffer).toBe(b[2]?.buffer);
    expect(Buffer.concat(b)).toEqual(reference(s, 1, 2));
  });

  it('does not reuse a cached frame for another topic, QoS or flag on the same payload', () => {
    const frames = new PublishFrames();
    const payload = Buffer.from('same bytes');
    const a = source(payload, topics.command('a'));
    const b = source(payload, topics.command('b'), { retain: true });
    expect(Buffer.concat(frames.chunks(a, 1, 5))).toEqual(reference(a, 1, 5));
    expect(Buffer.concat(frames.chunks(b, 1, 5))).toEqual(reference(b, 1, 5));
    expect(Buffer.concat(frames.chunks(a, 0, 5))).toEqual(reference(a, 0, 5));
    expect(Buffer.concat(frames.chunks(a, 1, 6))).toEqual(reference(a, 1, 6));
  });
});
