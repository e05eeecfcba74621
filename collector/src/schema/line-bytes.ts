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

  /** A number as JavaScript prints it; safe integers (every timestamp, most readings) without a string. */
  number(v: number): void {
    if (!Number.isSafeInteger(v)) {
      // Non-integers and huge values print as ASCII ("12.5", "1e+21"): latin1 writes them byte for byte.
      const s = String(v);
      if (this.pos + s.length > this.buf.length) this.grow(s.length);
      this.pos += this.buf.write(s, this.pos, 'latin1');
      return;
    }
    let n = v;
    if (n < 0) {
      this.byte(45);
      n = -n;
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    if (this.pos + digits > this.buf.length) this.grow(digits);
    const buf = this.buf;
    let p = this.pos + digits;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
    buf[--p] = 48 + n;
    this.pos += digits;
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + need));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}
