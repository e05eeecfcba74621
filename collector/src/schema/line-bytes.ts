import { MAX_NUMBER_BYTES, writeNumber } from './number-text.js';

const INITIAL_BYTES = 4096;

/**
 * Line protocol written straight into a byte buffer: no string per field or line, nothing to join and
 * nothing to encode again before the POST. Numbers come out exactly as `${value}` writes them.
 */
export class LineBytes {
  private buf: Buffer;
  private pos = 0;

  constructor(expectedBytes = INITIAL_BYTES) {
    this.buf = Buffer.allocUnsafe(Math.max(64, expectedBytes));
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  byte(code: number): void {
    if (this.pos === this.buf.length) this.grow(1);
    this.buf[this.pos++] = code;
  }

  /** Bytes prepared once (a series key, a field key): short ones copied in a loop, longer ones by memcpy. */
  raw(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    if (n > 16) {
      this.buf.set(b, this.pos);
      this.pos += n;
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = b[i] as number;
    this.pos = p;
  }

  /** Any text (UTF-8), e.g. a rare quality-flag line. */
  text(s: string): void {
    const n = Buffer.byteLength(s);
    if (this.pos + n > this.buf.length) this.grow(n);
    this.pos += this.buf.write(s, this.pos);
  }

  /** A number exactly as JavaScript prints it, mostly without making a string (`writeNumber`). */
  number(v: number): void {
    if (this.pos + MAX_NUMBER_BYTES > this.buf.length) this.grow(MAX_NUMBER_BYTES);
    this.pos = writeNumber(this.buf, this.pos, v);
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + need));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
