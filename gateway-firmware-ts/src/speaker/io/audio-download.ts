import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** Why a download failed; `retryable` ones are tried again with back-off. */
export type AudioFailureKind =
  | 'not-found'
  | 'unauthorized'
  | 'hash-mismatch'
  | 'disk-full'
  | 'disk'
  | 'budget'
  | 'invalid'
  | 'network'
  | 'http';

export class AudioFetchError extends Error {
  constructor(
    readonly kind: AudioFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'AudioFetchError';
  }

  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'http' || this.kind === 'hash-mismatch';
  }
}

export interface DownloadRequest {
  url: URL;
  audioId: string;
  authorization: string;
  tempFile: string;
  /** Largest size accepted (the cache budget): bigger files are refused before or while downloading. */
  maxBytes: number;
  timeoutMs: number;
}

/** Streams one audio file to a temp file while hashing it; the temp file survives only when the hash is right. */
export async function download(req: DownloadRequest): Promise<number> {
  let response: Response;
  try {
    response = await fetch(req.url, {
      headers: { authorization: req.authorization },
      signal: AbortSignal.timeout(req.timeoutMs),
    });
  } catch (err) {
    throw new AudioFetchError('network', `${req.url.pathname}: ${causeOf(err)}`);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw statusError(response.status, req.url);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > req.maxBytes) {
    await response.body.cancel();
    throw budgetError(declared, req.maxBytes);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > req.maxBytes) return callback(budgetError(bytes, req.maxBytes));
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const file = createWriteStream(req.tempFile);
  let writeError: NodeJS.ErrnoException | undefined;
  file.on('error', (err) => {
    writeError = err;
  });
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(body, meter, file);
  } catch (err) {
    await rm(req.tempFile, { force: true });
    if (err instanceof AudioFetchError) throw err;
    if (writeError !== undefined) {
      const full = writeError.code === 'ENOSPC' || writeError.code === 'EDQUOT';
      if (full) throw new AudioFetchError('disk-full', `disk full writing ${req.audioId}`);
      throw new AudioFetchError('disk', `cannot write ${req.tempFile}: ${writeError.message}`);
    }
    throw new AudioFetchError('network', `${req.url.pathname}: ${causeOf(err)}`);
  }
  const actual = hash.digest('hex');
  if (actual !== req.audioId) {
    await rm(req.tempFile, { force: true });
    throw new AudioFetchError('hash-mismatch', `hash mismatch for ${req.audioId}: got ${actual}`);
  }
  return bytes;
}

function statusError(status: number, url: URL): AudioFetchError {
  if (status === 404)
    return new AudioFetchError('not-found', `audio not found on the console: ${url.pathname}`);
  if (status === 401 || status === 403)
    return new AudioFetchError('unauthorized', `console refused the device's credentials (HTTP ${status})`);
  return new AudioFetchError('http', `HTTP ${status} from ${url.pathname}`);
}

function budgetError(bytes: number, max: number): AudioFetchError {
  return new AudioFetchError('budget', `cache budget too small: item is ${bytes} bytes, budget ${max}`);
}

function causeOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
