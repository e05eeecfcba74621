import type { QrCode } from './qr-code.js';

/** An SVG path drawing the dark modules, with the 4-module quiet zone the standard asks for. */
export function qrPath(qr: QrCode, quiet = 4): { d: string; viewBox: string } {
  const parts: string[] = [];
  qr.modules.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x + quiet},${y + quiet}h1v1h-1z`);
    }),
  );
  const side = qr.size + 2 * quiet;
  return { d: parts.join(''), viewBox: `0 0 ${side} ${side}` };
}
