import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logTail, spawnReady, tempDir } from '../../harness/index.js';

// Temp dirs made here and by the fixture; spawnReady leaves them (only server handles remove theirs).
const dirs: string[] = [];
const FIXTURE = join(import.meta.dirname, 'fixtures', 'spawn-and-exit.ts');

/** Running and not a zombie (a zombie may linger if PID 1 does not reap orphans). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs the fixture under tsx and resolves with the pid of the child it started through the harness. */
function runFixture(mode: 'exit' | 'wait'): Promise<{ fixturePid: number; childPid: number }> {
  const fixture = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    fixture.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes('\n')) return;
      const [pid = '', dir = ''] = (out.split('\n')[0] ?? '').split(' ');
      dirs.push(dir);
      resolve({ fixturePid: fixture.pid ?? -1, childPid: Number(pid) });
    });
    fixture.once('error', reject);
    fixture.once('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`fixture exited ${code} without a pid`));
    });
  });
}

describe('process helpers', () => {
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('puts the log tail into the error when the server dies before it is ready', async () => {
    const dir = await tempDir('xs-proc-');
    dirs.push(dir);
    const logFile = join(dir, 'boom.log');
    const start = spawnReady({
      name: 'boom',
      command: '/bin/sh',
      args: ['-c', 'echo "listen tcp: bind: permission denied" >&2; exit 3'],
      cwd: dir,
      logFile,
      ready: async () => false,
      readyWhat: 'never',
    });
    await expect(start).rejects.toThrow(
      /boom exited \(code 3\) before it was ready[\s\S]*bind: permission denied/,
    );
    expect(logTail(logFile)).toContain('permission denied');
  });

  it('gives up after the timeout with a clear message and kills the child', async () => {
    const dir = await tempDir('xs-proc-');
    dirs.push(dir);
    const pidFile = join(dir, 'pid');
    const start = spawnReady({
      name: 'slow',
      command: '/bin/sh',
      args: ['-c', `echo $$ > ${pidFile}; exec sleep 60`],
      cwd: dir,
      logFile: join(dir, 'slow.log'),
      ready: async () => false,
      readyWhat: 'GET /never',
      timeoutMs: 500,
    });
    await expect(start).rejects.toThrow(/slow not ready after 0.5 s \(GET \/never\)/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).toBeGreaterThan(1);
    expect(alive(pid)).toBe(false);
  });

  it('kills children when the test process exits normally', async () => {
    const { childPid } = await runFixture('exit');
    await until(`child ${childPid} to die`, () => !alive(childPid));
  });

  it('kills children when the test process itself is SIGKILLed', async () => {
    const { fixturePid, childPid } = await runFixture('wait');
    expect(alive(childPid)).toBe(true);
    process.kill(fixturePid, 'SIGKILL');
    await until(`child ${childPid} to die`, () => !alive(childPid));
  });
});
