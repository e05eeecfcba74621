import { topics } from '@xaso/device-profiles/contract';
import msgpack from 'msgpack-lite';
import { describe, expect, it } from 'vitest';
import { encodePacket } from '../../../broker/src/server/stored-packet.js';

describe('the journal’s packet encoding', () => {
  it('is byte for byte what msgpack-lite’s encode gives, small and large payloads interleaved', () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const packet = {
        cmd: 'publish',
        brokerId: `broker-${random(9)}`,
        brokerCounter: random(2 ** 31) * (random(2) === 0 ? 1 : 1000),
        topic: topics.ack(`cum-${random(100_000)}`),
        payload: Buffer.alloc(random(5) === 0 ? random(70_000) : random(400), random(256)),
        qos: random(3),
        retain: random(2) === 0,
        dup: random(2) === 0,
        messageId: random(65_536),
        ...(random(4) === 0 ? { properties: { userProperties: { k: 'v' } } } : {}),
        clientId: undefined,
      };
      const ours = encodePacket(packet);
      expect(ours.equals(msgpack.encode(packet)), `packet ${i}`).toBe(true);
      const decoded = msgpack.decode(ours) as { payload: Buffer; topic: string };
      expect([decoded.topic, decoded.payload.equals(packet.payload)]).toEqual([packet.topic, true]);
    }
  });

  it('starts clean after a value it cannot encode', () => {
    const packet = { topic: topics.ack('c-1'), payload: Buffer.from('{}') };
    encodePacket(packet);
    expect(() => encodePacket({ topic: topics.ack('c-2'), counter: 10n })).toThrow(/bigint/);
    expect(encodePacket(packet).equals(msgpack.encode(packet))).toBe(true);
  });
});
