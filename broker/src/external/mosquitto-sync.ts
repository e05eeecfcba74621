import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Registry } from '../registry/registry.js';
import type { MosquittoCredentials } from './mosquitto-credentials.js';
import { mosquittoFiles, writeMosquittoFiles } from './mosquitto-files.js';

export interface MosquittoSyncOptions {
  registry: Registry;
  credentials: MosquittoCredentials;
  /** Where passwd, acl and xaso.conf are written. */
  dir: string;
  /** Mosquitto's process id, asked at each reload (it changes when Mosquitto restarts); null: do not signal. */
  pid?: () => number | null;
  /** How often the registry's change feed is read (default 1 s). */
  pollMs?: number;
  logger?: Logger;
}

/**
 * Keeps Mosquitto's files in step with the registry: rewrites them and sends Mosquitto SIGHUP (it
 * re-reads both files and drops clients whose password is gone) after every change in the registry's
 * feed (disabled, enabled, rotated, groups, deleted) and whenever asked (new credentials issued).
 */
export class MosquittoSync {
  private cursor: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly options: MosquittoSyncOptions) {
    this.cursor = options.registry.changeCursor();
    this.log = options.logger ?? pino({ name: 'mosquitto-sync', level: process.env.LOG_LEVEL ?? 'info' });
  }

  /** Writes the files and reloads Mosquitto; calls are serialised so files never interleave. */
  sync(reason = 'requested'): Promise<void> {
    const next = this.running.then(() => this.write(reason));
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Follows the change feed until stop(). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const { cursor, changes } = this.options.registry.changesSince(this.cursor);
      if (changes.length === 0) return;
      this.cursor = cursor;
      const reason = changes.map((c) => `${c.deviceId} ${c.kind}`).join(', ');
      this.sync(reason).catch((err: unknown) =>
        this.log.error({ err, reason }, 'mosquitto files not updated'),
      );
    }, this.options.pollMs ?? 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async write(reason: string): Promise<void> {
    const { registry, credentials, dir } = this.options;
    await writeMosquittoFiles(dir, mosquittoFiles(registry, credentials, dir));
    const pid = this.options.pid?.() ?? null;
    const reloaded = pid !== null && pid > 0 && this.signal(pid);
    this.log.info({ reason, reloaded }, 'mosquitto files written');
  }

  /** A stale pid (Mosquitto stopped) is not an error: it reads the files when it starts. */
  private signal(pid: number): boolean {
    try {
      process.kill(pid, 'SIGHUP');
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      this.log.warn({ pid }, 'mosquitto is not running; the files will be read when it starts');
      return false;
    }
  }
}
