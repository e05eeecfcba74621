import { pino } from 'pino';
import { ConfigError, loadConfig } from './config/load.js';
import { startBroker } from './server/broker.js';

// `npm run broker -- [--port N] [--data DIR] [--config FILE] ...`: file < environment < flags.
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig({ argv: process.argv.slice(2), env: process.env });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
const log = pino({ name: 'broker', level: config.logLevel });
const running = await startBroker(config, { logger: log });
const { host } = config;
const lines = [
  `mqtt://${host}:${running.ports.mqtt}`,
  running.ports.mqtts ? `mqtts://${host}:${running.ports.mqtts}` : undefined,
  running.ports.ws ? `ws://${host}:${running.ports.ws}${config.ws?.path ?? ''}` : undefined,
  `http://${host}:${running.ports.http} (/health, /metrics, POST /enroll, /emqx/*)`,
].filter((l): l is string => l !== undefined);
process.stdout.write(`${lines.map((l) => `listening ${l}`).join('\n')}\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  running.close().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
