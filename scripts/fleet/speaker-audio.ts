import type { PlaylistItem } from '@xaso/device-profiles/contract';
import type { AudioCache } from '@xaso/gateway-firmware-ts';

/**
 * The audio cache of a simulated cluster: every item counts as already downloaded (the ClockPlayer plays
 * nothing, so no bytes are needed). Items listed in `missing` fail like a cache that could not fetch them.
 */
export class SimulatedAudio implements AudioCache {
  readonly missing = new Set<string>();

  async fetch(item: PlaylistItem): Promise<string> {
    if (this.missing.has(item.audioId)) throw new Error('audio not found on the console');
    return `sim://audio/${item.audioId}`;
  }

  has(audioId: string): boolean {
    return !this.missing.has(audioId);
  }

  prefetch(): void {}
}
