import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_SOURCE_DIR, buildBundle } from '../../../console/src/ui/bundle.js';
import { CONTENT_SECURITY_POLICY } from '../../../console/src/ui/index-html.js';
import { uiRoutes } from '../../../console/src/ui/ui-routes.js';
import { tempDir } from '../../harness/index.js';

describe('console UI bundle and serving', () => {
  let dir: string;
  let sources: string;
  beforeAll(async () => {
    dir = await tempDir('xs-ui-bundle');
    sources = join(dir, 'web');
    await cp(WEB_SOURCE_DIR, sources, { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds hashed, split, precompressed files once and reuses them until a source changes', async () => {
    const cache = join(dir, 'cache');
    const first = await buildBundle(cache, sources);
    expect(first.manifest.entry).toMatch(/^main-[A-Z0-9]{8}\.js$/);
    expect(first.manifest.css).toMatch(/^main-[A-Z0-9]{8}\.css$/);
    const pages = Object.keys(first.manifest.files).filter((f) => /^chunks\/(audio|devices)-page-/.test(f));
    expect(pages).toHaveLength(2);
    const entry = join(first.dir, first.manifest.entry);
    const plain = await readFile(entry);
    expect(gunzipSync(await readFile(`${entry}.gz`)).equals(plain)).toBe(true);
    expect((await stat(`${entry}.br`)).size).toBeLessThan(plain.length);
    // Pages the first screen does not need stay out of the entry (QR encoder, audio table).
    expect(plain.toString()).not.toContain('xs-qr');

    const builtAt = (await stat(entry)).mtimeMs;
    const again = await buildBundle(cache, sources);
    expect(again.dir).toBe(first.dir);
    expect((await stat(entry)).mtimeMs).toBe(builtAt);

    const vi = join(sources, 'i18n', 'vi.ts');
    await writeFile(
      vi,
      (await readFile(vi, 'utf8')).replace("'app.title': 'Xã Số'", "'app.title': 'Xã Số (thử)'"),
    );
    const changed = await buildBundle(cache, sources);
    expect(changed.manifest.sourceHash).not.toBe(first.manifest.sourceHash);
    expect(changed.dir).not.toBe(first.dir);
  });

  it('serves index.html with the CSP and assets with long caching in the encoding asked for', async () => {
    const app = uiRoutes({
      cacheDir: join(dir, 'served'),
      log: pino({ level: 'silent' }),
      sourceDir: sources,
    });
    const index = await app.request('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = html.match(/<script type="module" src="([^"]+)">/)?.[1] ?? '';
    expect(script).toMatch(/^\/ui\/main-[A-Z0-9]{8}\.js$/);

    const br = await app.request(script, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-type')).toContain('text/javascript');
    const gz = await app.request(script, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const identity = await app.request(script);
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect((await identity.text()).length).toBeGreaterThan(1000);

    for (const bad of [
      '/ui/../manifest.json',
      '/ui/manifest.json',
      '/ui/main-AAAAAAAA.js',
      '/ui/constructor',
    ])
      expect((await app.request(bad)).status).toBe(404);
  });
});
