import { startCollector } from './collector.js';
import { ConfigError, loadConfig } from './config/load.js';

/** `npm run collector -- [--config file.json] [--mqtt-url …]`: the collector alone, until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const collector = await startCollector(config);
  const shutdown = (signal: string): void => {
    collector.log.info({ signal }, 'shutting down');
    collector.stop().then(
      () => process.exit(0),
      (err: Error) => {
        collector.log.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  process.stderr.write(`collector failed to start: ${err.message}\n`);
  process.exit(1);
});
