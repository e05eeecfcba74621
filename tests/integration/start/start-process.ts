import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, freePort, killChild } from '../../harness/index.js';

export const ROOT = join(import.meta.dirname, '../../..');

/** Free ports for every listener `npm start` opens, fixed so a restart finds the same URLs. */
export async function stackPorts(): Promise<Record<string, string>> {
  return {
    XS_MQTT_PORT: String(await freePort()),
    XS_BROKER_HTTP_PORT: String(await freePort()),
    XS_METRICS_PORT: String(await freePort()),
    XS_CONSOLE_PORT: String(await freePort()),
  };
}

/** `npm start` as a user runs it (node + tsx, the same entry point), with its output captured. */
export class StartProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<string>;
  private out = '';
  private err = '';

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, XS_STATUS_INTERVAL_S: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.out += chunk.toString('utf8');
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.err += chunk.toString('utf8');
    });
    this.exited = exitOf(this.child);
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Waits for a line on stdout; fails early with the output when the process exits first. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exit: string | undefined;
    void this.exited.then((how) => {
      exit = how;
    });
    while (!pattern.test(this.out)) {
      if (exit !== undefined)
        throw new Error(`npm start exited (${exit}) before ${pattern}:\n${this.describe()}`);
      if (Date.now() > deadline) throw new Error(`no ${pattern} after ${timeoutMs} ms:\n${this.describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ctrl-C; resolves with how it exited. */
  async interrupt(timeoutMs = 20_000): Promise<string> {
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const how = await this.exited;
    clearTimeout(timer);
    return how;
  }

  async kill(): Promise<void> {
    await killChild(this.child, 'SIGKILL');
  }

  describe(): string {
    return `--- stdout\n${this.out.slice(-4000)}\n--- stderr\n${this.err.slice(-4000)}`;
  }
}

/** Every process below `pid`, from /proc (children, grandchildren, …). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name sits in parentheses and may contain spaces; the parent pid follows it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(name), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/** The command name of a process, for messages. */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '(gone)';
  }
}

/** Processes among `pids` still running after `graceMs` (tsx's esbuild service ends a moment after its parent). */
export async function survivors(pids: readonly number[], graceMs = 3000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = left.filter(alive);
  }
  return left.map((pid) => `${pid} ${commandOf(pid)}`);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
