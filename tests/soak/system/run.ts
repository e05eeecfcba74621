/**
 * `npm run soak -- [seconds]`: the system soak on demand (default an hour) at the real deployment's scale
 * (200 clusters, 30 stations) unless XASO_SOAK_CLUSTERS / XASO_SOAK_STATIONS say otherwise.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
const arg = process.argv[2];
const seconds = arg === undefined ? 3600 : Number(arg);
if (!Number.isInteger(seconds) || seconds < 30) {
  process.stderr.write(`npm run soak: seconds must be a whole number ≥ 30, got ${JSON.stringify(arg)}\n`);
  process.exit(2);
}
const child = spawn(join(ROOT, 'node_modules/.bin/vitest'), ['run', 'tests/soak/system'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    XASO_SOAK_SECONDS: String(seconds),
    XASO_SOAK_CLUSTERS: process.env.XASO_SOAK_CLUSTERS ?? '200',
    XASO_SOAK_STATIONS: process.env.XASO_SOAK_STATIONS ?? '30',
  },
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
