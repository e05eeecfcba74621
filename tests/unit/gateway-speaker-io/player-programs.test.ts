import { describe, expect, it } from 'vitest';
import { failureOf, playerArgs } from '../../../gateway-firmware-ts/src/speaker/io/player-programs.js';

describe('player command lines', () => {
  it('puts volume, offset, output and source where each program expects them', () => {
    const file = { kind: 'file' as const, file: '/a/b.mp3', offsetMs: 2_612 };
    expect(playerArgs('mpg123', file, 50, ['-o', 'alsa'])).toEqual([
      '-f',
      '16384',
      '-k',
      '100',
      '-o',
      'alsa',
      '/a/b.mp3',
    ]);
    expect(playerArgs('mpg123', { kind: 'stdin' }, 100, [])).toEqual(['-f', '32768', '-']);
    expect(playerArgs('ffplay', file, 30, [])).toEqual([
      '-nodisp',
      '-autoexit',
      '-loglevel',
      'error',
      '-volume',
      '30',
      '-ss',
      '2.612',
      '/a/b.mp3',
    ]);
    expect(playerArgs('ffplay', { kind: 'stdin' }, 30, []).slice(-3)).toEqual([
      '-fflags',
      'nobuffer',
      'pipe:0',
    ]);
    expect(playerArgs('mpv', file, 80, ['--ao=alsa'])).toEqual([
      '--no-video',
      '--no-config',
      '--msg-level=all=error',
      '--volume=80',
      '--start=2.612',
      '--ao=alsa',
      '/a/b.mp3',
    ]);
  });

  it('classifies failures from stderr first, then the exit', () => {
    const mpg123Ok = 'Playing MPEG stream 1 of 1: x.mp3 ...\nMPEG 1.0 L III cbr64 44100 mono\n';
    expect(failureOf('mpg123', 'file', 0, null, mpg123Ok)).toBeUndefined();
    expect(
      failureOf('mpg123', 'file', 0, null, 'Note: Illegal Audio-MPEG-Header 0x00000000 at offset 32.'),
    ).toBe('decode error');
    expect(failureOf('ffplay', 'file', 0, null, 'x.mp3: No such file or directory')).toBe('file missing');
    expect(
      failureOf('ffplay', 'file', 1, null, "Could not initialize SDL - Audio target 'alsa' not available"),
    ).toBe('no audio device');
    expect(failureOf('mpv', 'file', 2, null, '[ffmpeg/demuxer] Failed to recognize file format.')).toBe(
      'decode error',
    );
    expect(
      failureOf('mpv', 'file', 2, null, '[ao] Could not open/initialize audio device -> no sound.'),
    ).toBe('no audio device');
    expect(failureOf('mpv', 'file', 0, null, '')).toBeUndefined();
    expect(failureOf('ffplay', 'file', null, 'SIGSEGV', '')).toBe('ffplay killed by SIGSEGV');
    expect(failureOf('mpv', 'file', 4, null, 'weird\nlast words\n')).toBe(
      'mpv exited with code 4: last words',
    );
  });
});
