import { topics } from '@xaso/device-profiles/contract';
import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import {
  type Frame,
  FrameReader,
  PacketType,
  checkConnack,
  checkSuback,
  decodePublish,
  encodePuback,
} from '../../bench/broker/mqtt-frames.js';

const publish = (topic: string, payload: Buffer, messageId: number) =>
  generate({ cmd: 'publish', topic, payload, qos: 1, messageId, dup: false, retain: false });

/** Feeds `stream` in pieces of `size` bytes and collects copies of what comes out. */
function framesOf(stream: Buffer, size: number): Array<{ type: number; flags: number; body: Buffer }> {
  const reader = new FrameReader();
  const out: Array<{ type: number; flags: number; body: Buffer }> = [];
  for (let i = 0; i < stream.length; i += size)
    reader.push(stream.subarray(i, i + size), (f) => out.push({ ...f, body: Buffer.from(f.body) }));
  expect(reader.pending).toBe(0);
  return out;
}

describe('bench subscriber frame reader (tests/bench/broker/mqtt-frames.ts)', () => {
  const stream = Buffer.concat([
    generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }),
    generate({ cmd: 'suback', messageId: 1, granted: [1] }),
    publish(topics.telemetry('dev-1'), Buffer.from('7'), 513),
    generate({ cmd: 'pingresp' }),
    publish(topics.telemetry('dev-2'), Buffer.from('hello'), 65_535),
  ]);

  it('finds every packet when several arrive in one chunk', () => {
    const frames = framesOf(stream, stream.length);
    expect(frames.map((f) => f.type)).toEqual([
      PacketType.connack,
      PacketType.suback,
      PacketType.publish,
      PacketType.pingresp,
      PacketType.publish,
    ]);
  });

  it('finds the same packets whatever the split, down to one byte at a time', () => {
    const whole = framesOf(stream, stream.length);
    for (const size of [1, 2, 3, 5, 7, 11]) expect(framesOf(stream, size)).toEqual(whole);
  });

  it('decodes a QoS 1 PUBLISH: topic, packet id, payload', () => {
    const [first, second] = framesOf(stream, 3).filter((f) => f.type === PacketType.publish) as Frame[];
    expect(first && decodePublish(first)).toEqual({
      topic: topics.telemetry('dev-1'),
      qos: 1,
      packetId: 513,
      payload: Buffer.from('7'),
    });
    expect(second && decodePublish(second).packetId).toBe(65_535);
  });

  it('reads a remaining length of three bytes (a 100 kB payload) split across chunks', () => {
    const payload = Buffer.alloc(100_000, 0xab);
    const big = publish('big', payload, 9);
    expect(big[1] ?? 0).toBeGreaterThanOrEqual(0x80);
    expect(big[3] ?? 0x80).toBeLessThan(0x80);
    const frames = framesOf(Buffer.concat([big, generate({ cmd: 'pingresp' })]), 4096);
    expect(frames).toHaveLength(2);
    const decoded = decodePublish(frames[0] as Frame);
    expect(decoded.packetId).toBe(9);
    expect(decoded.payload.equals(payload)).toBe(true);
  });

  it('keeps an incomplete header until the rest arrives', () => {
    const reader = new FrameReader();
    const big = publish('big', Buffer.alloc(300), 2);
    const seen: number[] = [];
    reader.push(big.subarray(0, 2), (f) => seen.push(f.type));
    expect(seen).toEqual([]);
    expect(reader.pending).toBe(2);
    reader.push(big.subarray(2), (f) => seen.push(f.type));
    expect(seen).toEqual([PacketType.publish]);
    expect(reader.pending).toBe(0);
  });

  it('rejects a remaining length longer than four bytes', () => {
    const reader = new FrameReader();
    expect(() => reader.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), () => {})).toThrow(
      /remaining length/,
    );
  });

  it('rejects a PUBLISH shorter than its topic says', () => {
    const frame: Frame = { type: PacketType.publish, flags: 0x02, body: Buffer.from([0x00, 0x10, 0x61]) };
    expect(() => decodePublish(frame)).toThrow(/shorter than its topic/);
  });

  it('encodes a PUBACK that mqtt-packet generates identically', () => {
    expect(encodePuback(513)).toEqual(generate({ cmd: 'puback', messageId: 513 }));
  });

  it('turns CONNACK and SUBACK refusals into errors', () => {
    const frame = (bytes: Buffer): Frame => {
      let out: Frame | undefined;
      new FrameReader().push(bytes, (f) => {
        out = { ...f, body: Buffer.from(f.body) };
      });
      if (!out) throw new Error('no frame');
      return out;
    };
    expect(() =>
      checkConnack(frame(generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }))),
    ).not.toThrow();
    expect(() =>
      checkConnack(frame(generate({ cmd: 'connack', returnCode: 5, sessionPresent: false }))),
    ).toThrow(/not authorized/);
    expect(checkSuback(frame(generate({ cmd: 'suback', messageId: 1, granted: [1] })), 1)).toBe(1);
    expect(() => checkSuback(frame(generate({ cmd: 'suback', messageId: 1, granted: [128] })), 1)).toThrow(
      /refused/,
    );
    expect(() => checkSuback(frame(generate({ cmd: 'suback', messageId: 2, granted: [1] })), 1)).toThrow(
      /packet 2/,
    );
  });
});
