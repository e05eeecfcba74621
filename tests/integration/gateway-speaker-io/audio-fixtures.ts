import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensurePackage } from '../../harness/index.js';

const run = promisify(execFile);

/** Makes a short MP3 with Debian's ffmpeg: a 440 Hz tone, or digital silence. */
export async function makeMp3(dir: string, name: string, seconds: number, kind: 'tone' | 'silence' = 'tone') {
  const ffmpeg = await ensurePackage('ffmpeg', '/usr/bin/ffmpeg');
  const source = kind === 'tone' ? `sine=frequency=440:duration=${seconds}` : 'anullsrc=r=44100:cl=mono';
  const file = join(dir, name);
  const limit = kind === 'silence' ? ['-t', String(seconds)] : [];
  await run(
    ffmpeg,
    ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', source, ...limit].concat([
      '-ac',
      '1',
      '-ar',
      '44100',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '64k',
      file,
    ]),
  );
  return file;
}

/** A script that ignores SIGTERM, standing in for a hung player. */
export async function stubbornPlayer(dir: string): Promise<string> {
  const file = join(dir, 'stubborn.sh');
  await writeFile(file, "#!/bin/sh\ntrap '' TERM\nexec sleep 30\n", { mode: 0o755 });
  return file;
}
