import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generatedFiles, staleFiles } from '../docs/generated-files.js';

/** Writes docs/protocol.md and device-profiles/profile.schema.json, or with --check fails when they drifted. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: 'boolean', default: false },
      root: { type: 'string', default: REPO_ROOT },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run docs:generate [-- --root <dir>]\n       npm run docs:check\n\nRegenerates docs/protocol.md and device-profiles/profile.schema.json from the contract;\n--check writes nothing and exits 1 when either file is out of date.\n',
    );
    return 0;
  }
  const root = resolve(values.root);
  const files = generatedFiles();
  if (values.check) {
    const stale = staleFiles(root, files);
    for (const path of stale) process.stderr.write(`${path} is out of date: run npm run docs:generate\n`);
    if (stale.length === 0)
      process.stdout.write(`${files.map((f) => f.path).join(' and ')} are up to date\n`);
    return stale.length === 0 ? 0 : 1;
  }
  for (const file of files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    process.stdout.write(`wrote ${file.path}\n`);
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`generate-docs: ${(err as Error).message}\n`);
  process.exitCode = 2;
}
