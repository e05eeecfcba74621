import { type Province, loadProvince } from './province/province.js';
import { type StartConfig, StartConfigError, loadStartConfig } from './stack/config-load.js';

/** `npm start [-- --no-sim]`: broker, collector, console and (unless --no-sim) a simulated province, in one process. */
function configOrExit(argv: string[]): { config: StartConfig; province?: Province } | number {
  try {
    const config = loadStartConfig(argv);
    if (config.noSim) return { config };
    try {
      return { config, province: loadProvince(config.settings.simulation.province) };
    } catch (err) {
      throw new StartConfigError(`simulation.province: ${(err as Error).message}`);
    }
  } catch (err) {
    if (!(err instanceof StartConfigError)) throw err;
    process.stderr.write(`npm start: ${err.message}\n`);
    return 2;
  }
}

async function main(argv: string[]): Promise<number> {
  const loaded = configOrExit(argv);
  if (typeof loaded === 'number') return loaded;
  // Loaded only now: checking the configuration must not wait for every server's modules.
  const { runStack } = await import('./stack/run-stack.js');
  return runStack(loaded.config, loaded.province);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`npm start: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
