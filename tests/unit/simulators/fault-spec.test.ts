import { FaultSpecError, formatFaults, parseFaultSpec } from '@xaso/simulators';
import { describe, expect, it } from 'vitest';

describe('fault spec parser', () => {
  it('parses the documented example', () => {
    expect(parseFaultSpec('timeout:0.1,exception:4:0.05,crc:0.02,stuck,disconnected:pm25')).toEqual([
      { kind: 'timeout', probability: 0.1 },
      { kind: 'exception', code: 4, probability: 0.05 },
      { kind: 'crc', probability: 0.02 },
      { kind: 'stuck' },
      { kind: 'disconnected', channel: 'pm25' },
    ]);
  });

  it('defaults probabilities to 1 and accepts every kind', () => {
    expect(parseFaultSpec('timeout, crc ,exception:6,nan:pm10,stuck:o3,disconnected')).toEqual([
      { kind: 'timeout', probability: 1 },
      { kind: 'crc', probability: 1 },
      { kind: 'exception', code: 6, probability: 1 },
      { kind: 'nan', channel: 'pm10' },
      { kind: 'stuck', channel: 'o3' },
      { kind: 'disconnected' },
    ]);
    expect(parseFaultSpec('')).toEqual([]);
    expect(parseFaultSpec('timeout:1')).toEqual([{ kind: 'timeout', probability: 1 }]);
  });

  it('round-trips through formatFaults', () => {
    const spec = 'timeout:0.1,exception:4:0.05,crc:0.02,stuck,disconnected:pm25';
    expect(parseFaultSpec(formatFaults(parseFaultSpec(spec)))).toEqual(parseFaultSpec(spec));
  });

  const bad: [string, RegExp][] = [
    ['bogus', /unknown fault kind "bogus"/],
    ['timeout:abc', /probability "abc"/],
    ['timeout:0', /probability "0"/],
    ['timeout:1.5', /probability "1.5"/],
    ['timeout:-0.1', /probability "-0.1"/],
    ['timeout:', /probability ""/],
    ['timeout:0.1:2', /at most one argument/],
    ['crc:x', /probability "x"/],
    ['exception', /exception:<code>/],
    ['exception:0', /integer 1–255/],
    ['exception:256', /integer 1–255/],
    ['exception:4.5', /integer 1–255/],
    ['exception:four', /integer 1–255/],
    ['exception:4:2', /probability "2"/],
    ['exception:4:0.5:1', /exception:<code>/],
    ['stuck:PM25', /not a channel name/],
    ['disconnected:pm25:x', /at most one argument/],
    ['nan:1abc', /not a channel name/],
    ['timeout,,crc', /empty item/],
    ['timeout,', /empty item/],
  ];
  for (const [spec, message] of bad) {
    it(`rejects "${spec}" with a clear error`, () => {
      expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
      expect(() => parseFaultSpec(spec)).toThrow(message);
    });
  }
});
