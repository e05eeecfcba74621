import { type ChildProcess, spawn } from 'node:child_process';
import { constants, accessSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Two linked pseudo-terminals: a master (collector, gateway) opens one end, the simulator the other. */
export interface PtyPair {
  /** The end a Modbus master should open. */
  master: string;
  /** The end the simulated slaves listen on. */
  slave: string;
  stop(): Promise<void>;
}

export const SOCAT_INSTALL_HINT =
  'install it with: sudo apt-get install socat (Debian/Ubuntu) or brew install socat (macOS)';

/** Path of the socat binary, or undefined when it is not installed. */
export function findSocat(): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, 'socat');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory; keep looking.
    }
  }
  return undefined;
}

/** Starts `socat pty,raw,echo=0,link=… pty,raw,echo=0,link=…` and waits until both links exist. */
export async function createPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  const socat = findSocat();
  if (!socat) throw new Error(`socat is not installed; ${SOCAT_INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), 'xaso-pty-'));
  const master = join(dir, 'master');
  const slave = join(dir, 'slave');
  const child: ChildProcess = spawn(
    socat,
    [`pty,raw,echo=0,link=${master}`, `pty,raw,echo=0,link=${slave}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(master) && existsSync(slave))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`socat did not create the pty pair: ${stderr.trim() || 'timed out'}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { master, slave, stop };
}
