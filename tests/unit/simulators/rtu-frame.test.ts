import { RtuRequestParser, crc16, hasValidCrc, interFrameGapMs, withCrc } from '@xaso/simulators';
import { describe, expect, it } from 'vitest';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('CRC-16/Modbus', () => {
  it('matches known vectors', () => {
    expect(withCrc(hex('01 03 00 00 00 0A')).subarray(-2)).toEqual(hex('C5 CD'));
    expect(withCrc(hex('01 04 00 00 00 02')).subarray(-2)).toEqual(hex('71 CB'));
    expect(withCrc(hex('11 03 00 6B 00 03')).subarray(-2)).toEqual(hex('76 87'));
    expect(crc16(Buffer.from('123456789'))).toBe(0x4b37);
    expect(hasValidCrc(hex('01 03 00 00 00 0A C5 CD'))).toBe(true);
    expect(hasValidCrc(hex('01 03 00 00 00 0A C5 CE'))).toBe(false);
  });
});

describe('RTU request parser', () => {
  const read = withCrc(hex('01 03 00 00 00 0A'));
  const write16 = withCrc(hex('02 10 00 00 00 02 04 00 0A 01 02'));

  it('accepts a whole frame', () => {
    const parser = new RtuRequestParser();
    expect(parser.push(read)).toEqual([{ unitId: 1, pdu: hex('03 00 00 00 0A') }]);
    expect(parser.pending).toBe(0);
  });

  it('reassembles frames split across chunks, including variable-length writes', () => {
    const parser = new RtuRequestParser();
    const stream = Buffer.concat([read, write16]);
    const frames = [...stream].flatMap((byte) => parser.push(Buffer.from([byte])));
    expect(frames).toEqual([
      { unitId: 1, pdu: hex('03 00 00 00 0A') },
      { unitId: 2, pdu: hex('10 00 00 00 02 04 00 0A 01 02') },
    ]);
  });

  it('skips garbage before a frame and two frames in one chunk', () => {
    const parser = new RtuRequestParser();
    const frames = parser.push(Buffer.concat([hex('FF 00 13'), read, read]));
    expect(frames).toHaveLength(2);
    expect(parser.discarded).toBe(3);
  });

  it('ignores a frame with a wrong CRC and clears the rest on silence', () => {
    const parser = new RtuRequestParser();
    const broken = Buffer.from(read);
    broken[7] = (broken[7] ?? 0) ^ 0x01;
    expect(parser.push(broken)).toEqual([]);
    expect(parser.silence()).toEqual([]);
    expect(parser.pending).toBe(0);
    expect(parser.push(read)).toHaveLength(1);
  });

  it('drops an incomplete frame at the inter-frame silence', () => {
    const parser = new RtuRequestParser();
    expect(parser.push(read.subarray(0, 5))).toEqual([]);
    expect(parser.silence()).toEqual([]);
    expect(parser.push(read)).toHaveLength(1);
  });

  it('keeps a frame of an unknown function with a valid CRC until silence, so it can be refused', () => {
    const parser = new RtuRequestParser();
    const odd = withCrc(hex('01 2B 0E 01 00'));
    expect(parser.push(odd)).toEqual([]);
    expect(parser.silence()).toEqual([{ unitId: 1, pdu: hex('2B 0E 01 00') }]);
  });

  it('splits an unknown-function frame from a read that follows it in the same burst', () => {
    const parser = new RtuRequestParser();
    const odd = withCrc(hex('01 2B 0E 01 00'));
    expect(parser.push(Buffer.concat([odd, read]))).toEqual([
      { unitId: 1, pdu: hex('2B 0E 01 00') },
      { unitId: 1, pdu: hex('03 00 00 00 0A') },
    ]);
  });

  it('derives the 3.5-character gap from the baud rate', () => {
    expect(interFrameGapMs(4800)).toBe(9);
    expect(interFrameGapMs(9600)).toBe(5);
    expect(interFrameGapMs(115200)).toBe(2);
  });
});
