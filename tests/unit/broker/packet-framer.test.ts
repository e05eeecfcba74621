import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PacketFramer } from '../../../broker/src/server/packet-size-guard.js';

const publish = (bytes: number) =>
  generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(bytes), qos: 0, dup: false, retain: false });

describe('PacketFramer', () => {
  it('accepts packets under the limit, however they are split across chunks', () => {
    const framer = new PacketFramer(1000);
    const stream = Buffer.concat([publish(10), publish(900), generate({ cmd: 'pingreq' }), publish(0)]);
    for (let i = 0; i < stream.length; i += 7) expect(framer.feed(stream.subarray(i, i + 7))).toBe(-1);
  });

  it('reports an oversized packet from its length header, before the body arrives', () => {
    const framer = new PacketFramer(1000);
    expect(framer.feed(publish(10))).toBe(-1);
    const big = publish(5000);
    expect(framer.feed(big.subarray(0, 4))).toBeGreaterThan(1000);
  });

  it('rejects a remaining-length field longer than four bytes', () => {
    const framer = new PacketFramer(268_435_455);
    expect(framer.feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBeGreaterThan(0);
  });
});
