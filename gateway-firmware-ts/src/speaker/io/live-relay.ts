import http from 'node:http';
import https from 'node:https';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Playback, PlaybackOutcome, StreamFault } from '../ports.js';
import type { ChildPlayback } from './child-playback.js';
import { LevelMeter } from './level-meter.js';

export const RelaySettingsSchema = z.object({
  /** Connected (or connecting) but no bytes for this long: the stream is dead, reconnect. */
  deadAfterMs: z.number().int().positive().default(10_000),
  /** Decoded level below `silenceDbfs` for this long: the studio went quiet, play the fallback. */
  silenceAfterMs: z.number().int().positive().default(20_000),
  silenceDbfs: z.number().max(0).default(-50),
  /** No audio for this long after a drop: play the fallback until the stream is back. */
  fallbackAfterMs: z.number().int().nonnegative().default(5_000),
  reconnectBaseMs: z.number().int().positive().default(1_000),
  reconnectMaxMs: z.number().int().positive().default(30_000),
  /** Decoder that turns the stream into signed 16-bit mono PCM at `meterRate` on stdout (silence meter). */
  meter: z.array(z.string()).min(1).default(['mpg123', '-q', '-m', '-r', '8000', '-s', '-']),
  meterRate: z.number().int().positive().default(8_000),
});
export type RelaySettings = z.infer<typeof RelaySettingsSchema>;

/** Where the relay's audio goes: a player reading stdin, and the fallback item. */
export interface RelayOutput {
  openSink(): ChildPlayback;
  playFallback(file: string, durationMs: number): Playback;
}

export interface RelayRequest {
  volume: number;
  durationMs?: number;
  fallback?: { file: string; durationMs: number };
  onFault?: (fault: StreamFault) => void;
}

const TICK_MS = 250;
// A gap in the bytes longer than this is a stall (judged by deadAfterMs), not silence.
const STALL_MS = 1_000;

/**
 * Relays an Icecast/HTTP stream into a player for a duration, surviving 3G/4G drop-outs: reconnects with
 * back-off, spots a dead stream (no bytes) and silence (decoded level), plays the fallback meanwhile.
 */
export class LiveRelay implements Playback {
  readonly done: Promise<PlaybackOutcome>;
  private resolve: (outcome: PlaybackOutcome) => void = () => undefined;
  private readonly startedAt = Date.now();
  private readonly sink: ChildPlayback;
  private meter: LevelMeter | undefined;
  private request: http.ClientRequest | undefined;
  private fallback: Playback | undefined;
  private tick: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private durationTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private lastByteAt = Date.now();
  private downSince: number | undefined = Date.now();
  private silent = false;
  private outageReported = false;
  private faulted = false;
  private fallbackReported = false;
  private fallbackFailed = false;
  private finished = false;

  constructor(
    private readonly url: string,
    private readonly req: RelayRequest,
    private readonly settings: RelaySettings,
    private readonly output: RelayOutput,
    private readonly log: Logger,
  ) {
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
    this.sink = output.openSink();
    void this.sink.done.then((outcome) => {
      if (outcome.kind === 'failed') this.finish({ ...outcome, playedMs: this.playedMs() });
      else this.finish({ kind: 'failed', playedMs: this.playedMs(), reason: 'player exited during relay' });
    });
    if (req.durationMs !== undefined) {
      this.durationTimer = setTimeout(
        () => this.finish({ kind: 'completed', playedMs: this.playedMs() }),
        req.durationMs,
      );
    }
    this.tick = setInterval(() => this.check(), TICK_MS);
    this.connect();
  }

  stop(): void {
    this.finish({ kind: 'interrupted', playedMs: this.playedMs() });
  }

  private connect(target = this.url, redirects = 0): void {
    if (this.finished) return;
    this.lastByteAt = Date.now();
    const client = target.startsWith('https:') ? https : http;
    let request: http.ClientRequest;
    try {
      request = client.get(target, { headers: { 'Icy-MetaData': '0' } });
    } catch (err) {
      this.dropped(`cannot request: ${(err as Error).message}`);
      return;
    }
    this.request = request;
    request.on('response', (res) => {
      const location = res.headers.location;
      // Icecast relays and load balancers redirect to the mount that serves the stream.
      if (res.statusCode && res.statusCode >= 301 && res.statusCode <= 308 && location && redirects < 5) {
        res.resume();
        this.connect(new URL(location, target).toString(), redirects + 1);
        return;
      }
      if (res.statusCode !== 200) {
        res.resume();
        this.dropped(`HTTP ${res.statusCode}`);
        return;
      }
      this.meter?.close();
      const { meter, silenceDbfs, meterRate } = this.settings;
      this.meter = new LevelMeter(meter, silenceDbfs, meterRate, this.log);
      res.on('data', (chunk: Buffer) => this.onBytes(chunk));
      res.on('end', () => this.dropped('stream ended'));
      res.on('error', (err) => this.dropped(err.message));
    });
    request.on('error', (err) => {
      if (this.request === request) this.dropped(err.message);
    });
  }

  private onBytes(chunk: Buffer): void {
    if (this.finished) return;
    const now = Date.now();
    if (now - this.lastByteAt > STALL_MS) this.meter?.resetLoud();
    this.lastByteAt = now;
    if (this.downSince !== undefined) {
      this.downSince = undefined;
      this.outageReported = false;
      this.attempts = 0;
      this.meter?.resetLoud();
      this.log.info({ url: this.url }, 'live stream flowing');
    }
    this.meter?.write(chunk);
    // While the fallback plays the stream is not mixed over it; the meter still listens for its return.
    if (this.fallback === undefined) this.sink.stdin?.write(chunk);
  }

  /** The connection is gone (or useless): report once per outage and reconnect with back-off. */
  private dropped(detail: string, kind: 'dropped' | 'dead' = 'dropped'): void {
    if (this.finished || this.reconnectTimer !== undefined) return;
    this.request?.destroy();
    this.request = undefined;
    this.downSince ??= Date.now();
    if (!this.outageReported) this.fault(kind, detail);
    this.outageReported = true;
    this.attempts += 1;
    const delay = Math.min(
      this.settings.reconnectMaxMs,
      this.settings.reconnectBaseMs * 2 ** (this.attempts - 1),
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  private check(): void {
    const now = Date.now();
    const connected = this.request !== undefined && this.reconnectTimer === undefined;
    if (connected && now - this.lastByteAt > this.settings.deadAfterMs) {
      this.dropped(`no data for ${Math.round((now - this.lastByteAt) / 1000)} s`, 'dead');
    }
    const quiet =
      this.downSince === undefined && (this.meter?.quietForMs() ?? 0) > this.settings.silenceAfterMs;
    if (quiet && !this.silent) this.fault('silence', `level below ${this.settings.silenceDbfs} dBFS`);
    this.silent = quiet;
    const down = this.downSince !== undefined && now - this.downSince >= this.settings.fallbackAfterMs;
    if (down || quiet) this.startFallback();
    else if (this.downSince === undefined && (this.fallback !== undefined || this.faulted)) this.recover();
  }

  private startFallback(): void {
    const item = this.req.fallback;
    if (item === undefined || this.fallback !== undefined || this.fallbackFailed) return;
    if (!this.fallbackReported) this.fault('fallback', `playing ${item.file}`);
    this.fallbackReported = true;
    const playback = this.output.playFallback(item.file, item.durationMs);
    this.fallback = playback;
    // Looping: when the fallback ends and the stream is still bad, the next check starts it again.
    void playback.done.then((outcome) => {
      if (this.fallback === playback) this.fallback = undefined;
      if (outcome.kind !== 'failed') return;
      // A broken fallback (file missing) is reported once, not retried every tick until the stream returns.
      this.fallbackFailed = true;
      this.fault('fallback', `fallback failed: ${outcome.reason}`);
    });
  }

  private recover(): void {
    const fallback = this.fallback;
    this.fallback = undefined;
    fallback?.stop();
    this.fallbackReported = false;
    this.fallbackFailed = false;
    if (this.faulted) this.fault('recovered', 'stream is back');
    this.faulted = false;
  }

  private fault(kind: StreamFault['kind'], detail: string): void {
    if (kind !== 'recovered') this.faulted = true;
    this.log.warn({ url: this.url, kind, detail }, 'live relay fault');
    this.req.onFault?.({ kind, url: this.url, detail });
  }

  private playedMs(): number {
    return Date.now() - this.startedAt;
  }

  private finish(outcome: PlaybackOutcome): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.tick);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.durationTimer);
    this.request?.destroy();
    this.meter?.close();
    this.fallback?.stop();
    this.sink.stdin?.end();
    this.sink.stop();
    // Resolve once the player process is gone, so a following playback never overlaps it.
    void this.sink.done.then(() => this.resolve(outcome));
  }
}
