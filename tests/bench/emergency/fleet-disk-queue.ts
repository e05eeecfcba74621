import type { Outbox, OutboxEntry, QueuedMessage } from '@xaso/gateway-firmware-ts';

interface Waiting extends OutboxEntry {
  committed: (message: QueuedMessage) => void;
}

/**
 * The disk queue of one fleet process. Real clusters each commit to their own flash at the same time; here
 * a hundred share one disk and one event loop, so a commit per message would run their fsyncs one after
 * another. What the clusters queue in one event-loop turn is committed in one transaction before any of it
 * is published, and what their PUBACKs release is deleted in one: every message is still on disk before it
 * leaves, and off it only once acknowledged.
 */
export class FleetDiskQueue {
  private waiting: Waiting[] = [];
  private released: number[] = [];
  private scheduled = false;

  constructor(private readonly outbox: Outbox) {}

  get isOpen(): boolean {
    return this.outbox.isOpen;
  }

  /** `committed` runs once the message is on disk, at the end of this event-loop turn. */
  enqueue(entry: OutboxEntry, committed: (message: QueuedMessage) => void): void {
    this.waiting.push({ ...entry, committed });
    this.schedule();
  }

  /** The broker acknowledged the message: it leaves the disk with the rest of this turn's. */
  release(id: number): void {
    this.released.push(id);
    this.schedule();
  }

  /** Commits what is waiting now (the process is stopping). */
  flush(): void {
    this.scheduled = false;
    if (!this.outbox.isOpen) return;
    const released = this.released;
    this.released = [];
    this.outbox.removeMany(released);
    const waiting = this.waiting;
    this.waiting = [];
    const messages = this.outbox.enqueueMany(waiting);
    waiting.forEach((w, i) => {
      const message = messages[i];
      if (message) w.committed(message);
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }
}
