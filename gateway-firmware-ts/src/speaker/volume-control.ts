import type { Amplifier, Player } from './ports.js';

/**
 * The cluster's volume on the one part that attenuates (the player in software, or the controller board),
 * so the two never multiply. A job may carry its own volume; between jobs the cluster's volume returns.
 */
export class VolumeControl {
  private appliedOnBoard: number | undefined;

  constructor(
    private readonly by: 'player' | 'amplifier',
    private readonly player: Player,
    private readonly amplifier: Amplifier,
    public base: number,
  ) {}

  /** What to hand the player for a playback at `volume` (setting the board first when it attenuates). */
  async forPlayback(volume: number): Promise<number> {
    if (this.by === 'player') return volume;
    await this.onBoard(volume);
    return 100;
  }

  /** Turns what plays now up or down (set-volume while playing). */
  async live(volume: number, playing: boolean): Promise<void> {
    if (this.by === 'player') {
      if (playing) await this.player.setVolume(volume);
      return;
    }
    await this.onBoard(volume);
  }

  /** Back to the cluster's volume once nothing plays. */
  async restore(): Promise<void> {
    if (this.by === 'amplifier') await this.onBoard(this.base);
  }

  private async onBoard(volume: number): Promise<void> {
    if (this.appliedOnBoard === volume) return;
    await this.amplifier.setVolume(volume);
    this.appliedOnBoard = volume;
  }
}
