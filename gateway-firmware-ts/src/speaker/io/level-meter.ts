import { type ChildProcess, spawn } from 'node:child_process';
import type { Logger } from 'pino';

// 50 ms windows: short enough to catch speech, long enough to smooth single clicks.
const WINDOW_MS = 50;

/**
 * Decodes a stream with an external decoder (PCM s16le mono at `sampleRate` on its stdout) and counts how
 * much decoded audio in a row was below the threshold: the relay's silence detector. Counting audio time,
 * not wall time, keeps the decoder's input buffering and a stalled stream from looking like silence.
 */
export class LevelMeter {
  private readonly child: ChildProcess;
  private quietMs = 0;
  private readonly windowSamples: number;
  private sumSquares = 0;
  private samples = 0;
  private odd: number | undefined;
  private broken = false;
  private closing = false;
  private readonly threshold: number;

  constructor(command: readonly string[], thresholdDbfs: number, sampleRate: number, log: Logger) {
    this.windowSamples = Math.max(1, Math.round((sampleRate * WINDOW_MS) / 1000));
    this.threshold = 32768 * 10 ** (thresholdDbfs / 20);
    const [binary = 'mpg123', ...args] = command;
    this.child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.stdout?.on('data', (chunk: Buffer) => this.measure(chunk));
    this.child.stdin?.on('error', () => undefined);
    const fail = (why: string) => {
      if (this.closing || this.broken) return;
      this.broken = true;
      log.warn({ meter: binary, why }, 'silence meter stopped; silence detection off for this connection');
    };
    this.child.once('error', (err) => fail(err.message));
    this.child.once('close', (code) => fail(`exited with code ${code}`));
  }

  write(chunk: Buffer): void {
    if (!this.broken) this.child.stdin?.write(chunk);
  }

  /** How much audio in a row has been below the threshold; 0 when the meter cannot tell. */
  quietForMs(): number {
    return this.broken ? 0 : this.quietMs;
  }

  /** Restarts the silence count (a fresh connection gets the full grace period). */
  resetLoud(): void {
    this.quietMs = 0;
  }

  close(): void {
    this.closing = true;
    this.child.stdin?.end();
    this.child.kill('SIGTERM');
  }

  private measure(chunk: Buffer): void {
    let offset = 0;
    if (this.odd !== undefined && chunk.length > 0) {
      this.add(((chunk[0] ?? 0) << 8) | this.odd);
      this.odd = undefined;
      offset = 1;
    }
    for (; offset + 1 < chunk.length; offset += 2) this.add(chunk.readInt16LE(offset));
    if (offset < chunk.length) this.odd = chunk[offset];
  }

  private add(sample: number): void {
    const signed = sample > 32767 ? sample - 65536 : sample;
    this.sumSquares += signed * signed;
    this.samples += 1;
    if (this.samples < this.windowSamples) return;
    const rms = Math.sqrt(this.sumSquares / this.samples);
    this.quietMs = rms >= this.threshold ? 0 : this.quietMs + WINDOW_MS;
    this.sumSquares = 0;
    this.samples = 0;
  }
}
