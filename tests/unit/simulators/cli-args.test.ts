import { CliUsageError, parseCliArgs } from '@xaso/simulators';
import { describe, expect, it } from 'vitest';

describe('simulator command line', () => {
  it('parses a full command line', () => {
    const options = parseCliArgs([
      '--profile',
      'pm-sensor-rs485',
      '--profile',
      'speaker-controller',
      '--unit',
      '3',
      '--port',
      '0',
      '--pty',
      '--faults',
      'timeout:0.5',
      '--seed',
      '9',
    ]);
    expect(options).toMatchObject({
      profiles: ['pm-sensor-rs485', 'speaker-controller'],
      units: [3],
      port: 0,
      host: '127.0.0.1',
      pty: true,
      seed: 9,
      faults: [{ kind: 'timeout', probability: 0.5 }],
    });
    expect(parseCliArgs(['--help'])).toBe('help');
  });

  const bad: [string[], RegExp][] = [
    [['--port', '502'], /--profile is required/],
    [['--profile', 'x'], /say where to serve/],
    [['--profile', 'x', '--port', 'abc'], /--port must be a whole number/],
    [['--profile', 'x', '--port', '70000'], /--port must be at most 65535/],
    [['--profile', 'x', '--port', '1', '--unit', '0'], /--unit must be at least 1/],
    [['--profile', 'x', '--rtu', '/dev/ttyUSB0', '--pty'], /exclusive/],
    [['--profile', 'x', '--port', '1', '--unit', '1', '--unit', '2'], /more --unit than --profile/],
    [['--profile', 'x', '--port', '1', '--faults', 'crc:2'], /probability "2"/],
    [['--profile', 'x', '--port', '1', '--bogus'], /bogus/],
    [['--profile', 'x', 'stray'], /positional/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')}`, () => {
      expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
      expect(() => parseCliArgs(argv)).toThrow(message);
    });
  }
});
