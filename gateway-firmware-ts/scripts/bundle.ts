// Bundles the gateway into one ESM file run by plain node: no tsx loader thread on a 1 GB gateway.
// usage: node --import tsx gateway-firmware-ts/scripts/bundle.ts --out /opt/xaso-gateway/gateway.mjs
// The bundle keeps using this checkout for the shipped device profiles and the native addons
// (better-sqlite3, serialport), so bundle from the tree the service will run from.
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  process.stderr.write('usage: bundle.ts --out <file.mjs>\n');
  process.exit(2);
}
const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
// Modules that find files next to themselves (the profiles folder) resolve from their place in the checkout.
const sourceUrl = pathToFileURL(join(root, 'device-profiles/src/profile/load.ts')).href;

await build({
  entryPoints: [join(root, 'gateway-firmware-ts/src/cli.ts')],
  outfile: resolve(values.out),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['better-sqlite3', 'serialport', '@serialport/*'],
  define: { 'import.meta.url': '__xasoSourceUrl' },
  banner: {
    js: [
      "import { createRequire as __xasoCreateRequire } from 'node:module';",
      `const __xasoSourceUrl = ${JSON.stringify(sourceUrl)};`,
      // CommonJS dependencies and the native addons load from the checkout's node_modules.
      'const require = __xasoCreateRequire(__xasoSourceUrl);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
process.stdout.write(`bundled ${resolve(values.out)}\n`);
