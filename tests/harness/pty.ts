import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePackage } from './packages.js';
import { tempDir } from './ports.js';
import { killChild, spawnReady } from './process.js';

export interface PtyPair {
  /** Symlink to one pty; bytes written here come out of b, and the other way round. */
  a: string;
  b: string;
  dir: string;
  pid: number;
  /** SIGTERM socat and remove the dir (the links vanish with socat). */
  stop(): Promise<void>;
  /** SIGKILL socat, as if the serial cable were pulled. */
  kill(): Promise<void>;
}

/** A virtual null-modem cable: two raw ptys joined by socat, for serial-port tests. */
export async function startPtyPair(): Promise<PtyPair> {
  const socat = await ensurePackage('socat', '/usr/bin/socat');
  const dir = await tempDir('xs-pty-');
  const a = join(dir, 'ttyA');
  const b = join(dir, 'ttyB');
  const logFile = join(dir, 'socat.log');
  const child = await spawnReady({
    name: 'socat',
    command: socat,
    args: ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`],
    cwd: dir,
    logFile,
    // -d -d makes socat log when it starts copying, which is after both links exist.
    ready: async () =>
      existsSync(a) && existsSync(b) && readFileSync(logFile, 'utf8').includes('starting data transfer loop'),
    readyWhat: `${a} and ${b} to exist and socat to log "starting data transfer loop"`,
  });
  return {
    a,
    b,
    dir,
    pid: child.pid ?? -1,
    async stop() {
      await killChild(child, 'SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    async kill() {
      await killChild(child, 'SIGKILL');
    },
  };
}
