import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, killChild, logTail } from '../../harness/index.js';

const ROOT = join(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'gateway-firmware-ts/src/cli.ts');

/** The gateway as its own process (`node --import tsx cli.ts`), so it can be SIGKILLed like a power cut. */
export class GatewayProcess {
  private child: ChildProcess | undefined;

  constructor(
    readonly configFile: string,
    readonly logFile: string,
    /** Extra node flags, e.g. the heap limits the systemd unit uses. */
    readonly nodeArgs: readonly string[] = [],
    /** Path of the bundled program (gateway-firmware-ts/scripts/bundle.ts) to run instead of the sources. */
    readonly bundle?: string,
  ) {}

  writeConfig(config: unknown): void {
    writeFileSync(this.configFile, JSON.stringify(config, null, 2), { mode: 0o600 });
  }

  start(): void {
    const fd = openSync(this.logFile, 'a');
    // One process, not tsx's wrapper: a SIGKILL must hit the gateway itself.
    const entry = this.bundle === undefined ? ['--import', 'tsx', CLI] : [this.bundle];
    this.child = spawn(process.execPath, [...this.nodeArgs, ...entry, '--config', this.configFile], {
      cwd: ROOT,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, LOG_LEVEL: process.env.GW_LOG ?? 'info' },
    });
    closeSync(fd);
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  async kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<string> {
    const child = this.child;
    if (!child) return 'not running';
    this.child = undefined;
    const how = exitOf(child);
    await killChild(child, signal);
    return how;
  }

  tail(): string {
    return logTail(this.logFile, 30);
  }
}
