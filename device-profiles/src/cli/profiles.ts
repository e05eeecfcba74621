import { runProfilesCli } from './commands/run.js';
import { EXIT_USAGE, type Output } from './output.js';

/** `npm run profiles -- …`: the technicians' tool for device profiles. */
const io: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

try {
  process.exitCode = runProfilesCli(process.argv.slice(2), io);
} catch (err) {
  process.stderr.write(`profiles: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = EXIT_USAGE;
}
