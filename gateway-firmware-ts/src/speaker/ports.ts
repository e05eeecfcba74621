import type { PlaylistItem } from '@xaso/device-profiles/contract';

/**
 * The seams of the loudspeaker role: the role decides what plays when (schedules, priorities,
 * interruptions); these parts make sound, fetch audio and switch the amplifier.
 */

/** How one playback ended. `interrupted` means stop() was called (a higher priority took over). */
export type PlaybackOutcome =
  | { kind: 'completed'; playedMs: number }
  | { kind: 'interrupted'; playedMs: number }
  | { kind: 'failed'; playedMs: number; reason: string };

/** A playback in progress: await `done`, or stop it early. */
export interface Playback {
  readonly done: Promise<PlaybackOutcome>;
  stop(): void;
}

/** Plays a local file or a live stream. The real one drives mpg123/ffplay/mpv; tests use a clock player. */
export interface Player {
  readonly name: string;
  /** `offsetMs` resumes an interrupted item part-way where the player supports it. */
  playFile(file: string, options: { volume: number; durationMs: number; offsetMs?: number }): Playback;
  /**
   * Relays a live stream until `durationMs` (if given) or until stopped; reconnects on drop-outs by itself.
   * While the stream is dead or silent it plays `fallback` (if given) and reports each trouble to `onFault`.
   */
  playStream(
    url: string,
    options: {
      volume: number;
      durationMs?: number;
      fallback?: { file: string; durationMs: number };
      onFault?: (fault: StreamFault) => void;
    },
  ): Playback;
  /** Volume of the output (0–100) for players that mix in software. */
  setVolume(volume: number): Promise<void>;
  close(): Promise<void>;
}

/** Trouble on a live relay, for the role to turn into a fault event; `recovered` clears it. */
export interface StreamFault {
  kind: 'dropped' | 'dead' | 'silence' | 'fallback' | 'recovered';
  url: string;
  detail: string;
}

/** Audio on the gateway's disk, fetched from the console and checked against its SHA-256. */
export interface AudioCache {
  /** Local path of the item, downloading it if needed; rejects with a reason (not found, hash mismatch, disk). */
  fetch(item: PlaylistItem): Promise<string>;
  /** Whether the item is already on disk (no network). */
  has(audioId: string): boolean;
  /** Downloads in the background what upcoming slots need; failures are reported, not thrown. */
  prefetch(items: readonly PlaylistItem[]): void;
}

/** The cluster's controller board (amplifier relay, volume, door, power), per its device profile. */
export interface Amplifier {
  /** Switches the amplifier relay; rejects when the board does not answer. */
  setPower(on: boolean): Promise<void>;
  setVolume(volume: number): Promise<void>;
  /** Latest readings of the board for the status: fault, current, voltages, door, temperature. */
  health(): AmplifierHealth;
}

export interface AmplifierHealth {
  powered: boolean;
  fault?: boolean;
  currentA?: number;
  mainsV?: number;
  batteryV?: number;
  doorOpen?: boolean;
  temperatureC?: number;
  error?: string;
}
