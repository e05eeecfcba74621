import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import { build, version as esbuildVersion } from 'esbuild';
import { z } from 'zod';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The browser app's sources; bundled at run time so the console needs no build step. */
export const WEB_SOURCE_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
/** Where lit is installed (the workspace root, or the console package); sources may be built from elsewhere. */
const PACKAGE_DIRS = [
  fileURLToPath(new URL('../../node_modules/', import.meta.url)),
  fileURLToPath(new URL('../../../node_modules/', import.meta.url)),
];

export const BundleManifestSchema = z.object({
  sourceHash: z.string(),
  entry: z.string(),
  css: z.string().nullable(),
  /** Every served file (relative to the bundle dir) with its byte sizes, for budgets and preloads. */
  files: z.record(z.string(), z.object({ bytes: z.number().int(), gzipBytes: z.number().int() })),
  /** Chunks the entry imports statically: the first load. */
  initial: z.array(z.string()),
});
export type BundleManifest = z.infer<typeof BundleManifestSchema>;

export interface Bundle {
  dir: string;
  manifest: BundleManifest;
}

async function listSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listSources(path)));
    else if (/\.(ts|css)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Hash of every source file and the esbuild version: the cache key of a build. */
export async function hashSources(sourceDir: string): Promise<string> {
  const hash = createHash('sha256').update(esbuildVersion);
  for (const file of await listSources(sourceDir)) {
    hash
      .update(relative(sourceDir, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function readManifest(dir: string): Promise<BundleManifest | undefined> {
  try {
    return BundleManifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * Bundles web/main.ts (minified, split per page, content-hashed names) into <cacheDir>/<sourceHash>/ with
 * .gz and .br copies; reuses that directory while the sources are unchanged.
 */
export async function buildBundle(cacheDir: string, sourceDir = WEB_SOURCE_DIR): Promise<Bundle> {
  const sourceHash = await hashSources(sourceDir);
  const dir = join(cacheDir, sourceHash);
  const cached = await readManifest(dir);
  if (cached) return { dir, manifest: cached };

  const result = await build({
    entryPoints: [join(sourceDir, 'main.ts')],
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    // Browsers of about 2021: an old commune laptop's Chromium or Firefox, a phone's Safari.
    target: 'es2021',
    absWorkingDir: '/',
    nodePaths: PACKAGE_DIRS,
    // lit's decorators in their TypeScript form, whatever tsconfig sits near the sources.
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
    outdir: '/out',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    metafile: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await rm(staging, { recursive: true, force: true });
  const files: BundleManifest['files'] = {};
  for (const file of result.outputFiles) {
    const name = relative('/out', file.path);
    const target = join(staging, name);
    await mkdir(dirname(target), { recursive: true });
    const gz = await gzipAsync(file.contents, { level: 9 });
    const br = await brotliAsync(file.contents, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 },
    });
    await writeFile(target, file.contents);
    await writeFile(`${target}.gz`, gz);
    await writeFile(`${target}.br`, br);
    files[name] = { bytes: file.contents.byteLength, gzipBytes: gz.byteLength };
  }
  const outputs = result.metafile.outputs;
  // Lazily imported pages are entry points of their own chunks too: pick the one built from main.ts.
  const entryPath = Object.keys(outputs).find(
    (p) => /(^|\/)main\.ts$/.test(outputs[p]?.entryPoint ?? '') && p.endsWith('.js'),
  );
  const entryMeta = entryPath ? outputs[entryPath] : undefined;
  if (!entryPath || !entryMeta) throw new Error('esbuild produced no entry chunk for web/main.ts');
  const rel = (p: string) => relative('out', p);
  const initial = entryMeta.imports.filter((i) => i.kind === 'import-statement').map((i) => rel(i.path));
  const manifest: BundleManifest = {
    sourceHash,
    entry: rel(entryPath),
    css: entryMeta.cssBundle ? rel(entryMeta.cssBundle) : null,
    files,
    initial,
  };
  await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
  return { dir, manifest };
}
