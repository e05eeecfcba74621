import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export type ByteRange = { start: number; end: number };

/**
 * One `bytes=` range (RFC 9110 §14.1.2), clamped to the file: null when absent or not understood (serve the
 * whole file), 'unsatisfiable' when it lies past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}

export interface ServedFile {
  path: string;
  bytes: number;
  contentType: string;
  /** Strong validator; content-addressed files use their SHA-256. */
  etag: string;
}

/** A file as an HTTP response with Range, If-Range and If-None-Match handled. */
export function fileResponse(
  request: Request,
  file: ServedFile,
  options: { cacheControl: string; headOnly: boolean },
): Response {
  const etag = `"${file.etag}"`;
  const headers = new Headers({
    'accept-ranges': 'bytes',
    etag,
    'cache-control': options.cacheControl,
    'content-type': file.contentType,
  });
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    return new Response(null, { status: 304, headers });
  }
  const ifRange = request.headers.get('if-range');
  const rangeHeader = ifRange === null || ifRange === etag ? request.headers.get('range') : null;
  const range = parseRange(rangeHeader ?? undefined, file.bytes);
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${file.bytes}`);
    headers.delete('content-type');
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: file.bytes - 1 };
  headers.set('content-length', String(end - start + 1));
  if (range !== null) headers.set('content-range', `bytes ${start}-${end}/${file.bytes}`);
  const status = range === null ? 200 : 206;
  if (options.headOnly || file.bytes === 0) return new Response(null, { status, headers });
  const stream = Readable.toWeb(createReadStream(file.path, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, headers });
}
