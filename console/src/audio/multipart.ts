import { rm } from 'node:fs/promises';
import type { IncomingFile } from './blob-store.js';

/** Refusal of a malformed or oversized multipart body; routes turn it into a 4xx naming `field`. */
export class MultipartError extends Error {
  override name = 'MultipartError';
  constructor(
    readonly status: 400 | 413,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface MultipartLimits {
  /** Largest file part. */
  maxFileBytes: number;
  /** Largest text field. */
  maxFieldBytes: number;
  maxFields: number;
}

export interface ReceivedForm {
  fields: Map<string, string>;
  file: {
    field: string;
    filename: string;
    contentType: string | null;
    received: { path: string; sha256: string; bytes: number };
  } | null;
}

const MAX_HEADER_BYTES = 8 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a multipart/form-data content type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (contentType === undefined || !/^multipart\/form-data\b/i.test(contentType)) return null;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * Streams a multipart/form-data body: text fields into memory (bounded), the one file part straight to
 * disk through an IncomingFile, refusing with 413 as soon as the file passes the limit.
 */
export async function receiveMultipart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  limits: MultipartLimits,
  openFile: () => Promise<IncomingFile>,
): Promise<ReceivedForm> {
  const parser = new FormParser(boundary, limits, openFile);
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await parser.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
    return await parser.end();
  } catch (err) {
    await parser.abort();
    await reader.cancel().catch(() => undefined);
    throw err;
  }
}

type State = 'preamble' | 'after-boundary' | 'headers' | 'body' | 'done';

class FormParser {
  private readonly delimiter: Buffer;
  // A CRLF in front lets the very first boundary match the same delimiter as the others.
  private pending: Buffer = Buffer.from(CRLF);
  private state: State = 'preamble';
  private readonly fields = new Map<string, string>();
  private file: ReceivedForm['file'] = null;
  private part: { name: string; filename: string | null; contentType: string | null } | null = null;
  private incoming: IncomingFile | null = null;
  private fieldChunks: Buffer[] = [];
  private fieldBytes = 0;

  constructor(
    boundary: string,
    private readonly limits: MultipartLimits,
    private readonly openFile: () => Promise<IncomingFile>,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  async push(chunk: Buffer): Promise<void> {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    await this.drain();
  }

  async end(): Promise<ReceivedForm> {
    if (this.state !== 'done') {
      throw new MultipartError(
        400,
        'body',
        'the multipart body ended before its closing boundary (upload cut off?)',
      );
    }
    return { fields: this.fields, file: this.file };
  }

  async abort(): Promise<void> {
    await this.incoming?.abort();
    this.incoming = null;
    if (this.file !== null) {
      const { path } = this.file.received;
      this.file = null;
      await rm(path, { force: true });
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.state === 'done') {
        this.pending = Buffer.alloc(0);
        return;
      }
      if (this.state === 'preamble') {
        const at = this.pending.indexOf(this.delimiter);
        if (at < 0) {
          this.pending = this.pending.subarray(Math.max(0, this.pending.length - this.delimiter.length));
          return;
        }
        this.pending = this.pending.subarray(at + this.delimiter.length);
        this.state = 'after-boundary';
      } else if (this.state === 'after-boundary') {
        if (this.pending.length < 2) return;
        const tail = this.pending.toString('latin1', 0, 2);
        if (tail === '--') {
          this.state = 'done';
        } else if (tail === '\r\n') {
          this.pending = this.pending.subarray(2);
          this.state = 'headers';
        } else {
          throw new MultipartError(400, 'body', 'malformed multipart body (bad boundary line)');
        }
      } else if (this.state === 'headers') {
        const at = this.pending.indexOf(HEADER_END);
        if (at < 0) {
          if (this.pending.length > MAX_HEADER_BYTES) {
            throw new MultipartError(400, 'body', 'multipart part headers are too long');
          }
          return;
        }
        await this.startPart(this.pending.toString('utf8', 0, at));
        this.pending = this.pending.subarray(at + HEADER_END.length);
        this.state = 'body';
      } else {
        const at = this.pending.indexOf(this.delimiter);
        if (at < 0) {
          // Keep enough bytes back that a delimiter split across chunks is still found.
          const safe = this.pending.length - this.delimiter.length + 1;
          if (safe > 0) {
            await this.partData(this.pending.subarray(0, safe));
            this.pending = this.pending.subarray(safe);
          }
          return;
        }
        await this.partData(this.pending.subarray(0, at));
        await this.endPart();
        this.pending = this.pending.subarray(at + this.delimiter.length);
        this.state = 'after-boundary';
      }
    }
  }

  private async startPart(headerBlock: string): Promise<void> {
    const disposition = headerBlock.split('\r\n').find((line) => /^content-disposition:/i.test(line));
    const name = disposition === undefined ? undefined : param(disposition, 'name');
    if (name === undefined) throw new MultipartError(400, 'body', 'a multipart part has no field name');
    const filename = disposition === undefined ? undefined : param(disposition, 'filename');
    const typeLine = headerBlock.split('\r\n').find((line) => /^content-type:/i.test(line));
    const contentType = typeLine?.slice(typeLine.indexOf(':') + 1).trim() ?? null;
    this.part = { name, filename: filename ?? null, contentType };
    if (filename !== undefined) {
      if (this.file !== null || this.incoming !== null) {
        throw new MultipartError(400, name, 'only one file can be uploaded at a time');
      }
      this.incoming = await this.openFile();
    } else if (this.fields.size >= this.limits.maxFields) {
      throw new MultipartError(400, name, `too many form fields (at most ${this.limits.maxFields})`);
    }
    this.fieldChunks = [];
    this.fieldBytes = 0;
  }

  private async partData(data: Buffer): Promise<void> {
    const part = this.part;
    if (part === null || data.length === 0) return;
    if (this.incoming !== null) {
      if (this.incoming.bytes + data.length > this.limits.maxFileBytes) {
        throw new MultipartError(
          413,
          part.name,
          `the file is larger than the upload limit of ${formatBytes(this.limits.maxFileBytes)}`,
        );
      }
      await this.incoming.write(data);
      return;
    }
    this.fieldBytes += data.length;
    if (this.fieldBytes > this.limits.maxFieldBytes) {
      throw new MultipartError(400, part.name, `the field is longer than ${this.limits.maxFieldBytes} bytes`);
    }
    this.fieldChunks.push(Buffer.from(data));
  }

  private async endPart(): Promise<void> {
    const part = this.part;
    if (part === null) return;
    if (this.incoming !== null && part.filename !== null) {
      const received = await this.incoming.finish();
      this.incoming = null;
      this.file = { field: part.name, filename: part.filename, contentType: part.contentType, received };
    } else {
      this.fields.set(part.name, Buffer.concat(this.fieldChunks).toString('utf8'));
    }
    this.part = null;
  }
}

/** A parameter of a Content-Disposition header: quoted (browsers escape quotes as %22) or a bare token. */
function param(header: string, key: string): string | undefined {
  const pattern = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i');
  const match = pattern.exec(header);
  if (match === null) return undefined;
  const quoted = match[1];
  return quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : match[2];
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 2) return `${Math.round((n / 1024 ** 2) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}
