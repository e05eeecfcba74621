import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePackage, exitOf, tempDir } from '../../harness/index.js';

/**
 * A virtual RS485 adapter whose device nodes can disappear and come back at the same paths, like a USB
 * adapter pulled and plugged in again (the harness pty pair gets new paths on every start).
 */
export class ReplugablePty {
  private child: ChildProcess | undefined;
  private constructor(
    readonly a: string,
    readonly b: string,
    private readonly socat: string,
  ) {}

  static async create(): Promise<ReplugablePty> {
    const socat = await ensurePackage('socat', '/usr/bin/socat');
    const dir = await tempDir('xs-gw-pty-');
    const pty = new ReplugablePty(join(dir, 'ttyGW'), join(dir, 'ttySIM'), socat);
    await pty.plug();
    return pty;
  }

  async plug(): Promise<void> {
    this.child = spawn(this.socat, [`pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 5000;
    while (!(existsSync(this.a) && existsSync(this.b))) {
      if (Date.now() > deadline) throw new Error('socat did not create the pty links');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** SIGKILL socat: both device nodes vanish, as when the adapter is pulled. */
  async unplug(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = exitOf(child);
    child.kill('SIGKILL');
    await exited;
    // A SIGKILLed socat leaves its links behind; udev would remove a pulled adapter's node. A stale link
    // could otherwise resolve to a reused pts number of the next plug() and the gateway open the wrong end.
    rmSync(this.a, { force: true });
    rmSync(this.b, { force: true });
  }
}
