import type { Logger } from 'pino';
import type { MqttLink } from '../uplink/mqtt-link.js';
import type { Outbox, QueuedMessage } from './outbox.js';
import { TokenBucket } from './token-bucket.js';

export interface ForwarderOptions {
  drainRatePerSecond: number;
  maxInFlight: number;
  /** How often the backlog is topped up between enqueues. */
  tickMs?: number;
}

/**
 * Moves messages from the outbox to the broker. The outbox is the single source of truth: on a link drop
 * mqtt.js's own outgoing store is emptied (MqttLink does that) and unacknowledged rows are sent again here.
 * Messages queued since the link came up (live) go out at once; the older backlog drains in id order
 * through a token bucket, so live data never waits behind an hour of backlog.
 */
export class Forwarder {
  private readonly inFlight = new Set<number>();
  private bucket: TokenBucket;
  private backlogEnd = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly onLinkUp = () => this.linkUp();
  private running = false;
  private sent = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly link: MqttLink,
    private readonly options: ForwarderOptions,
    private readonly log: Logger,
  ) {
    this.bucket = new TokenBucket(options.drainRatePerSecond, Math.max(1, options.drainRatePerSecond / 5));
  }

  start(): void {
    this.running = true;
    this.unsubscribe = this.outbox.onEnqueue(() => this.pump());
    this.link.on('up', this.onLinkUp);
    this.timer = setInterval(() => this.pump(), this.options.tickMs ?? 50);
    this.timer.unref();
  }

  /** On shutdown: keeps sending until the queue is empty, the link drops or `timeoutMs` passes. */
  async flush(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (
      (this.inFlight.size > 0 || this.outbox.depth > 0) &&
      this.link.connected &&
      Date.now() < deadline
    ) {
      this.pump();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** After this the forwarder never touches the outbox again, so the gateway may close it. */
  stop(): void {
    this.running = false;
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.link.off('up', this.onLinkUp);
  }

  get publishedCount(): number {
    return this.sent;
  }

  private linkUp(): void {
    // The link may come up while the gateway stops, after the outbox is closed.
    if (!this.running || !this.outbox.isOpen) return;
    this.backlogEnd = this.outbox.maxId();
    this.bucket = new TokenBucket(
      this.options.drainRatePerSecond,
      Math.max(1, this.options.drainRatePerSecond / 5),
    );
    this.log.info({ backlog: this.outbox.depth }, 'uplink up; draining the queue');
    this.pump();
  }

  private pump(): void {
    if (!this.running || !this.link.connected || !this.outbox.isOpen) return;
    // Nothing queued beyond what is in flight: skip the query (the tick runs 20 times a second per gateway).
    if (this.outbox.depth <= this.inFlight.size) return;
    let room = this.options.maxInFlight - this.inFlight.size;
    if (room <= 0) return;
    // Live first: messages queued since the link came up.
    for (const message of this.outbox.oldest(room, this.inFlight, Number.MAX_SAFE_INTEGER, this.backlogEnd)) {
      this.send(message);
      room -= 1;
    }
    // Then the backlog, paced by the bucket; bounded by the in-flight limit as well.
    while (room > 0) {
      const [next] = this.outbox.oldest(1, this.inFlight, this.backlogEnd);
      if (!next || !this.bucket.tryTake()) break;
      this.send(next);
      room -= 1;
    }
  }

  private send(message: QueuedMessage): void {
    this.inFlight.add(message.id);
    this.link
      .publish(message.topic, message.payload, { qos: 1, retain: false })
      .then(() => {
        // A PUBACK that lands after shutdown: the row stays and is sent again on the next start.
        if (!this.outbox.isOpen) return;
        this.outbox.remove(message.id);
        this.sent += 1;
      })
      .catch((err: Error) => {
        this.log.debug({ err: err.message, id: message.id }, 'publish not acknowledged; will resend');
      })
      .finally(() => {
        this.inFlight.delete(message.id);
        this.pump();
      });
  }
}
