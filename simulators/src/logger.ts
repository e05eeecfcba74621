import { type Logger, pino } from 'pino';

export type { Logger };

/** Logs go to stderr so stdout stays free for the "listening on" lines people and tests read. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level }, pino.destination(2));
}

/** A logger that drops everything, for embedding simulators in tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
