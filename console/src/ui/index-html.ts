import type { BundleManifest } from './bundle.js';

export const UI_ASSET_PREFIX = '/ui/';

/**
 * Scripts and styles only from our own origin, no inline code, no framing: an injected string in the page
 * cannot run. Lit's styles are constructable stylesheets, which style-src 'self' allows.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The one HTML page of the single-page app: the entry script, its CSS, and preloads for its chunks. */
export function renderIndexHtml(manifest: BundleManifest): string {
  const asset = (p: string) => escapeAttr(`${UI_ASSET_PREFIX}${p}`);
  const preloads = manifest.initial.map((p) => `<link rel="modulepreload" href="${asset(p)}">`).join('\n');
  const css = manifest.css ? `<link rel="stylesheet" href="${asset(manifest.css)}">` : '';
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Xã Số</title>
${css}
${preloads}
<script type="module" src="${asset(manifest.entry)}"></script>
</head>
<body>
<xs-app></xs-app>
<noscript>Xã Số cần JavaScript. / Xã Số needs JavaScript.</noscript>
</body>
</html>
`;
}
