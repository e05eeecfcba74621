import type { Amplifier } from './ports.js';

export interface AmplifierPowerOptions {
  /** On this long before the first sound, so the start of a bulletin is not lost to a cold amplifier. */
  warmupMs: number;
  /** Off after this long with nothing to play, so amplifiers don't hum all day. */
  idleOffMs: number;
}

export type AmplifierState = 'on' | 'off' | 'fault';

/**
 * Amplifier relay timing: on (and warm) before playback, off after an idle spell. A failure to switch is
 * reported once per change of state through `onFault`, and cleared when switching works again.
 */
export class AmplifierPower {
  private powered = false;
  private fault: string | undefined;
  private switching: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly amplifier: Amplifier,
    private readonly options: AmplifierPowerOptions,
    private readonly onFault: (message: string, cleared: boolean) => void,
  ) {}

  get state(): AmplifierState {
    return this.fault ? 'fault' : this.powered ? 'on' : 'off';
  }

  /** Resolves once the amplifier is on and warm; rejects with the board's error. Concurrent callers share it. */
  ensureOn(): Promise<void> {
    this.cancelIdle();
    if (this.powered && !this.fault) return Promise.resolve();
    this.switching ??= this.switchOn().finally(() => {
      this.switching = undefined;
    });
    return this.switching;
  }

  /** Nothing is playing: switch off after the idle time unless something starts meanwhile. */
  idle(): void {
    this.cancelIdle();
    if (!this.powered) return;
    this.idleTimer = setTimeout(() => void this.set(false).catch(() => undefined), this.options.idleOffMs);
    this.idleTimer.unref();
  }

  /** Switches at once (the `amplifier` command, shutdown); rejects when the board does not answer. */
  async set(on: boolean): Promise<void> {
    this.cancelIdle();
    await this.switchTo(on);
  }

  private async switchOn(): Promise<void> {
    await this.switchTo(true);
    if (this.options.warmupMs > 0) await new Promise((r) => setTimeout(r, this.options.warmupMs));
  }

  private async switchTo(on: boolean): Promise<void> {
    try {
      await this.amplifier.setPower(on);
    } catch (err) {
      const message = `amplifier did not switch ${on ? 'on' : 'off'}: ${(err as Error).message}`;
      if (this.fault !== message) this.onFault(message, false);
      this.fault = message;
      throw new Error(message);
    }
    this.powered = on;
    if (this.fault) {
      this.onFault(`amplifier switches ${on ? 'on' : 'off'} again`, true);
      this.fault = undefined;
    }
  }

  private cancelIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
