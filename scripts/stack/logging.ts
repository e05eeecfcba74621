import { isAbsolute, join } from 'node:path';
import { type Logger, pino } from 'pino';
import type { StartSettings } from './config-schema.js';

export interface StackLog {
  /** Services: the log file, and warnings and errors on the terminal too. */
  log: Logger;
  /** Simulated gateways and instruments: the log file only (their faults are part of the simulation). */
  fleetLog: Logger;
  /** Where the full log goes, for the table ("stderr" when not a file). */
  where: string;
  flush(): void;
}

/**
 * One JSON log for the whole tree, each line tagged with its component. With a log file the terminal only
 * shows the services' warnings and errors, so the table and the summaries stay readable.
 */
export function stackLog(settings: StartSettings, dataDir: string): StackLog {
  const level = settings.log.level;
  if (settings.log.file === '-' || level === 'silent') {
    const log = pino({ level }, pino.destination(2));
    return { log, fleetLog: log, where: 'stderr', flush: () => log.flush() };
  }
  const file = isAbsolute(settings.log.file) ? settings.log.file : join(dataDir, settings.log.file);
  const toFile = pino.destination({ dest: file, mkdir: true, sync: false });
  const toTerminal = pino.destination({ dest: 2, sync: true });
  const log = pino(
    { level },
    pino.multistream([
      { level: 'warn', stream: toTerminal },
      { level, stream: toFile },
    ]),
  );
  const fleetLog = pino({ level }, toFile);
  return {
    log,
    fleetLog,
    where: file,
    flush: () => {
      try {
        toFile.flushSync();
      } catch {
        // Nothing written yet (the file is still opening): nothing to lose.
      }
    },
  };
}
