import type { Playback, PlaybackOutcome, Player, StreamFault } from '../ports.js';

/** One thing the clock player "played": what, how loud, from where, and how it ended (once it has). */
export interface PlayRecord {
  kind: 'file' | 'stream';
  source: string;
  volume: number;
  offsetMs: number;
  /** Planned length in simulated ms (undefined for a stream with no duration: it runs until stopped). */
  durationMs: number | undefined;
  startedAt: number;
  endedAt?: number;
  outcome?: PlaybackOutcome;
}

export interface ClockPlayerOptions {
  name?: string;
  /** Simulated ms per real ms: 10 plays a 30 s item in 3 s (for fleets and tests). */
  speed?: number;
  /** Records kept (oldest dropped first) so thousands of long-running instances stay small. */
  maxRecords?: number;
  /** Called when a playback starts and when it ends (the simulated fleet counts them). */
  onRecord?: (record: PlayRecord, phase: 'start' | 'end') => void;
}

/**
 * A Player that makes no sound: a playback lasts its duration on the clock (setTimeout), so tests and the
 * simulated fleet exercise the role's timing for real. Failures are injected (file missing, device error).
 */
export class ClockPlayer implements Player {
  readonly name: string;
  readonly records: PlayRecord[] = [];
  private readonly speed: number;
  private readonly maxRecords: number;
  private readonly onRecord: ClockPlayerOptions['onRecord'];
  private readonly failingSources = new Map<string, string>();
  private deviceError: string | undefined;
  private nextFailure: string | undefined;
  private readonly active = new Set<ClockPlayback>();
  private readonly streams = new Map<ClockPlayback, StreamOptions>();
  private currentVolume = 100;
  private closed = false;

  constructor(options: ClockPlayerOptions = {}) {
    this.name = options.name ?? 'clock';
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new Error(`ClockPlayer speed must be > 0, got ${this.speed}`);
    this.maxRecords = options.maxRecords ?? 1000;
    this.onRecord = options.onRecord;
  }

  /** Volume last set by a playback or setVolume. */
  get volume(): number {
    return this.currentVolume;
  }

  /** Playbacks still running. */
  get playing(): PlayRecord[] {
    return [...this.active].map((p) => p.record);
  }

  /** Playing this file or stream fails at once with `reason` until `clearFailures()`. */
  failSource(source: string, reason = 'file missing'): void {
    this.failingSources.set(source, reason);
  }

  /** Every playback fails (an unplugged sound card) until `clearFailures()`. */
  failDevice(reason = 'no audio device'): void {
    this.deviceError = reason;
  }

  /** Only the next playback fails. */
  failNext(reason: string): void {
    this.nextFailure = reason;
  }

  clearFailures(): void {
    this.failingSources.clear();
    this.deviceError = undefined;
    this.nextFailure = undefined;
  }

  playFile(file: string, options: { volume: number; durationMs: number; offsetMs?: number }): Playback {
    const offsetMs = Math.max(0, options.offsetMs ?? 0);
    const remaining = Math.max(0, options.durationMs - offsetMs);
    return this.start('file', file, options.volume, offsetMs, options.durationMs, remaining);
  }

  playStream(url: string, options: StreamOptions): Playback {
    const playback = this.start('stream', url, options.volume, 0, options.durationMs, options.durationMs);
    if (playback instanceof ClockPlayback && this.active.has(playback)) {
      this.streams.set(playback, { ...options });
      void playback.done.then(() => {
        this.streams.get(playback)?.playingFallback?.stop();
        this.streams.delete(playback);
      });
    }
    return playback;
  }

  /** Simulates a live source going bad: reports the fault and plays the fallback, as the real relay does. */
  breakStream(url: string, kind: 'dropped' | 'dead' | 'silence', detail = 'simulated'): void {
    for (const [playback, options] of this.streams) {
      if (playback.record.source !== url) continue;
      options.onFault?.({ kind, url, detail });
      const fallback = options.fallback;
      if (fallback === undefined || options.playingFallback) continue;
      options.onFault?.({ kind: 'fallback', url, detail: `playing ${fallback.file}` });
      options.playingFallback = this.playFile(fallback.file, {
        volume: options.volume,
        durationMs: fallback.durationMs,
      });
    }
  }

  /** The simulated source is back: the fallback stops and `recovered` is reported. */
  restoreStream(url: string): void {
    for (const [playback, options] of this.streams) {
      if (playback.record.source !== url) continue;
      options.playingFallback?.stop();
      options.playingFallback = undefined;
      options.onFault?.({ kind: 'recovered', url, detail: 'stream is back' });
    }
  }

  async setVolume(volume: number): Promise<void> {
    this.currentVolume = volume;
    for (const playback of this.active) playback.record.volume = volume;
  }

  /** Stops whatever is playing (as interrupted) and refuses further playbacks. */
  async close(): Promise<void> {
    this.closed = true;
    for (const playback of [...this.active]) playback.stop();
  }

  private start(
    kind: PlayRecord['kind'],
    source: string,
    volume: number,
    offsetMs: number,
    durationMs: number | undefined,
    remainingMs: number | undefined,
  ): Playback {
    const record: PlayRecord = { kind, source, volume, offsetMs, durationMs, startedAt: Date.now() };
    this.currentVolume = volume;
    this.records.push(record);
    if (this.records.length > this.maxRecords) this.records.splice(0, this.records.length - this.maxRecords);
    this.onRecord?.(record, 'start');
    const playback = new ClockPlayback(record, this.speed, (p) => {
      this.active.delete(p);
      this.onRecord?.(p.record, 'end');
    });
    const failure = this.takeFailure(source);
    if (failure) {
      playback.fail(failure);
      return playback;
    }
    this.active.add(playback);
    playback.run(remainingMs);
    return playback;
  }

  private takeFailure(source: string): string | undefined {
    if (this.closed) return 'player closed';
    if (this.deviceError) return this.deviceError;
    const forSource = this.failingSources.get(source);
    if (forSource) return forSource;
    const next = this.nextFailure;
    this.nextFailure = undefined;
    return next;
  }
}

interface StreamOptions {
  volume: number;
  durationMs?: number;
  fallback?: { file: string; durationMs: number };
  onFault?: (fault: StreamFault) => void;
  playingFallback?: Playback;
}

class ClockPlayback implements Playback {
  readonly done: Promise<PlaybackOutcome>;
  private resolve: (outcome: PlaybackOutcome) => void = () => undefined;
  private timer: NodeJS.Timeout | undefined;
  private startedReal = 0;
  private remainingMs: number | undefined;
  private finished = false;

  constructor(
    readonly record: PlayRecord,
    private readonly speed: number,
    private readonly onEnd: (playback: ClockPlayback) => void,
  ) {
    this.done = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  /** Runs for `remainingMs` simulated ms, or until stopped when undefined (an open-ended stream). */
  run(remainingMs: number | undefined): void {
    this.startedReal = Date.now();
    this.remainingMs = remainingMs;
    if (remainingMs === undefined) return;
    this.timer = setTimeout(
      () => this.finish({ kind: 'completed', playedMs: remainingMs }),
      remainingMs / this.speed,
    );
  }

  fail(reason: string): void {
    this.finish({ kind: 'failed', playedMs: 0, reason });
  }

  stop(): void {
    if (this.finished) return;
    // playedMs counts this playback only (from offsetMs), so the role resumes at offsetMs + playedMs.
    const played = Math.round((Date.now() - this.startedReal) * this.speed);
    this.finish({ kind: 'interrupted', playedMs: Math.min(played, this.remainingMs ?? played) });
  }

  private finish(outcome: PlaybackOutcome): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.record.outcome = outcome;
    this.record.endedAt = Date.now();
    this.onEnd(this);
    this.resolve(outcome);
  }
}
