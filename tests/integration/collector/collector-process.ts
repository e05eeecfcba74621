import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { until } from './wait.js';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface CollectorProcess {
  child: ChildProcess;
  /** Resolves once the collector's log contains `text` (e.g. its "subscribed" line). */
  logged(text: string, timeoutMs?: number): Promise<void>;
  exited(): Promise<number | null>;
}

/** The collector as `npm run collector` runs it, in its own process, so a test can SIGKILL it. */
export function spawnCollector(
  configFile: string,
  logFile: string,
  nodeArgs: string[] = [],
): CollectorProcess {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(ROOT, 'collector/src/cli.ts'), '--config', configFile],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const file = createWriteStream(logFile);
  const append = (c: Buffer): void => {
    log += c.toString();
    file.write(c);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exit = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      file.end();
      r(code);
    }),
  );
  return {
    child,
    logged: (text, timeoutMs = 20_000) =>
      until(`collector log line "${text}"`, () => log.includes(text), timeoutMs),
    exited: () => exit,
  };
}
