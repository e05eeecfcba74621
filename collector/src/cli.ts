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
  // Ctrl-C reaches the program twice (from the terminal and relayed by npm): stop once, ignore repeats.
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    collector.log.info({ signal }, 'shutting down');
    collector.stop().then(
      () => process.exit(0),
      (err: Error) => {
        collector.log.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  process.stderr.write(`collector failed to start: ${err.message}\n`);
  process.exit(1);
});
