import { startConsole } from './app/server.js';
import { ConsoleConfigError, loadConsoleConfig } from './config/load.js';
import { informationSourceConfigFromEnv } from './information-source/config.js';

/** `npm run console [-- --config file.json]`: configuration from the file and XASO_CONSOLE_* variables. */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--config');
  const file = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !file) throw new ConsoleConfigError('--config needs a file name');
  const config = loadConsoleConfig(file ? { file } : {});
  const informationSource = config.informationSource ?? informationSourceConfigFromEnv();
  const running = await startConsole(informationSource ? { ...config, informationSource } : config);
  process.stdout.write(`Xã Số console: ${running.url} (public URL ${running.ctx.publicUrl})\n`);
  if (running.initialAdminPassword) {
    process.stdout.write(
      `\nFirst start: sign in as "admin" with the one-time password\n\n    ${running.initialAdminPassword}\n\nIt is shown only now and must be changed at first sign-in.\n\n`,
    );
  }
  // Ctrl-C reaches the program twice (from the terminal and relayed by npm): stop once, ignore repeats.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConsoleConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
