import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { type Bundle, buildBundle } from './bundle.js';
import { CONTENT_SECURITY_POLICY, UI_ASSET_PREFIX, renderIndexHtml } from './index-html.js';

export interface UiOptions {
  /** Where built bundles are cached (one directory per source hash). */
  cacheDir: string;
  log: Logger;
  sourceDir?: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function pickEncoding(acceptEncoding: string | undefined): { suffix: string; name: string } | undefined {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return { suffix: '.br', name: 'br' };
  if (/\bgzip\b/.test(accepted)) return { suffix: '.gz', name: 'gzip' };
  return undefined;
}

/**
 * Serves the browser app at / (index.html, never cached) and /ui/* (content-hashed, cached for a year,
 * precompressed). The bundle is built on the first request and reused while the sources are unchanged,
 * so console starts that never serve the UI (tests, API-only installs) pay nothing.
 */
export function uiRoutes(options: UiOptions) {
  const app = new Hono();
  let pending: Promise<Bundle> | undefined;
  const bundle = () => {
    pending ??= buildBundle(options.cacheDir, options.sourceDir).then(
      (b) => {
        options.log.info({ dir: b.dir, entry: b.manifest.entry }, 'console UI bundle ready');
        return b;
      },
      (err: unknown) => {
        pending = undefined;
        options.log.error({ err }, 'console UI bundle failed');
        throw err;
      },
    );
    return pending;
  };

  const index = async () => {
    const { manifest } = await bundle();
    return new Response(renderIndexHtml(manifest), {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        ...SECURITY_HEADERS,
      },
    });
  };
  app.get('/', () => index());
  app.get('/index.html', () => index());

  app.get(`${UI_ASSET_PREFIX}*`, async (c) => {
    const { dir, manifest } = await bundle();
    const name = normalize(c.req.path.slice(UI_ASSET_PREFIX.length));
    const extension = name.slice(name.lastIndexOf('.'));
    const type = TYPES[extension];
    if (!Object.hasOwn(manifest.files, name) || type === undefined)
      return c.json({ error: 'not-found', field: 'path', message: `no UI file ${name}` }, 404);
    const encoding = pickEncoding(c.req.header('accept-encoding'));
    const body = await readFile(join(dir, encoding ? `${name}${encoding.suffix}` : name));
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': type,
        'cache-control': 'public, max-age=31536000, immutable',
        vary: 'accept-encoding',
        ...(encoding ? { 'content-encoding': encoding.name } : {}),
        ...SECURITY_HEADERS,
      },
    });
  });
  return app;
}
