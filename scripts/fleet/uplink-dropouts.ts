/** What a random outage acts on: a cluster's or station's simulated uplink. */
export interface DropoutTarget {
  id: string;
  uplink: { cut(): void; restore(): void };
}

export interface DropoutSettings {
  /** Each target drops on average once every `meanEveryS`… */
  meanEveryS: number;
  /** …for an exponentially distributed time averaging `meanLengthS` (most short, a few long). */
  meanLengthS: number;
  /** How often the dice are rolled (default every second). */
  tickMs?: number;
}

/**
 * Random short drop-outs of mobile uplinks, as a rural 3G/4G cell has them: every tick each target that
 * is up and not held goes dark with probability tick/meanEvery, and comes back after its outage. Targets
 * held (cut on purpose by a test or an operator) are never touched.
 */
export class UplinkDropouts {
  private readonly outages = new Map<string, NodeJS.Timeout>();
  private ticker: NodeJS.Timeout | undefined;
  /** Outages started so far, for reports. */
  started = 0;

  constructor(
    private readonly targets: () => Iterable<DropoutTarget>,
    private readonly isHeld: (id: string) => boolean,
    private readonly settings: DropoutSettings,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    const tickMs = this.settings.tickMs ?? 1000;
    const chance = tickMs / 1000 / this.settings.meanEveryS;
    this.ticker = setInterval(() => {
      for (const target of this.targets()) {
        if (this.isHeld(target.id) || this.outages.has(target.id)) continue;
        if (this.random() >= chance) continue;
        target.uplink.cut();
        this.started++;
        const lengthMs = -Math.log(1 - this.random()) * this.settings.meanLengthS * 1000;
        const timer = setTimeout(() => {
          this.outages.delete(target.id);
          if (!this.isHeld(target.id)) target.uplink.restore();
        }, lengthMs);
        timer.unref();
        this.outages.set(target.id, timer);
      }
    }, tickMs);
    this.ticker.unref();
  }

  /** Targets in an outage right now. */
  get down(): number {
    return this.outages.size;
  }

  /** No new outages; those under way still end as planned. */
  stopNew(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** A target restored on purpose: its pending outage timer is dropped. */
  forget(id: string): void {
    clearTimeout(this.outages.get(id));
    this.outages.delete(id);
  }

  /** Stops everything, leaving targets as they are. */
  stop(): void {
    this.stopNew();
    for (const timer of this.outages.values()) clearTimeout(timer);
    this.outages.clear();
  }
}
