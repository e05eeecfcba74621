import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaylistItem } from '@xaso/device-profiles/contract';
import type { Amplifier, AmplifierHealth, AudioCache } from '@xaso/gateway-firmware-ts';

/** Audio already on disk, one file per SHA-256; fetch fails like a real cache when the file is not there. */
export class DiskAudio implements AudioCache {
  readonly fetched: string[] = [];
  readonly prefetched: string[] = [];

  constructor(readonly dir: string) {}

  /** Writes an audio file and returns the playlist item that names it. */
  add(name: string, durationMs: number, title = name): PlaylistItem {
    const body = Buffer.from(`audio ${name}`);
    const audioId = createHash('sha256').update(body).digest('hex');
    writeFileSync(join(this.dir, `${audioId}.mp3`), body);
    return { audioId, path: `/audio/${audioId}`, durationMs, title };
  }

  /** An item whose file is not in the cache. */
  absent(name: string, durationMs: number): PlaylistItem {
    const audioId = createHash('sha256').update(`absent ${name}`).digest('hex');
    return { audioId, path: `/audio/${audioId}`, durationMs, title: name };
  }

  async fetch(item: PlaylistItem): Promise<string> {
    const file = join(this.dir, `${item.audioId}.mp3`);
    this.fetched.push(item.audioId);
    if (!existsSync(file)) throw new Error('file missing from the audio cache');
    return file;
  }

  has(audioId: string): boolean {
    return existsSync(join(this.dir, `${audioId}.mp3`));
  }

  prefetch(items: readonly PlaylistItem[]): void {
    for (const item of items) this.prefetched.push(item.audioId);
  }
}

/** A controller board that records every switch with its time; `broken` makes it stop answering. */
export class RecordingBoard implements Amplifier {
  readonly power: Array<{ on: boolean; at: number }> = [];
  readonly volumes: number[] = [];
  broken: string | undefined;
  private powered = false;

  async setPower(on: boolean): Promise<void> {
    if (this.broken) throw new Error(this.broken);
    this.powered = on;
    this.power.push({ on, at: Date.now() });
  }

  async setVolume(volume: number): Promise<void> {
    if (this.broken) throw new Error(this.broken);
    this.volumes.push(volume);
  }

  health(): AmplifierHealth {
    return { powered: this.powered, mainsV: 229.5, batteryV: 12.6, doorOpen: false, temperatureC: 31 };
  }

  get isOn(): boolean {
    return this.powered;
  }
}
