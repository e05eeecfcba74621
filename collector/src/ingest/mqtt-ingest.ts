import { filters } from '@xaso/device-profiles/contract';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { CollectorConfig } from '../config/schema.js';
import type { CollectorMetrics } from '../metrics.js';
import { HeldPubacks } from './held-pubacks.js';
import type { MessageOutcome, MessagePipeline } from './message-pipeline.js';
import type { StalledGaps } from './stalled-gaps.js';
import type { WriteThrough } from './write-through.js';

export const INGEST_FILTERS = [filters.allTelemetry, filters.allStatus, filters.allEvents, filters.allAcks];

interface Staged {
  topic: string;
  payload: Buffer;
  messageId: number | undefined;
  connection: number;
  endTimer: () => void;
}

/**
 * The collector's MQTT session: persistent (clean: false, fixed client id) and QoS 1, so the broker
 * keeps what arrives while the collector is away. Messages that arrive together (the broker's
 * in-flight window) are committed in one transaction, one fsync, and only then PUBACKed: a crash
 * before the commit leaves all of them unacknowledged and the broker redelivers them. With write-through,
 * a group is first written to the store, then committed without outbox rows, then PUBACKed.
 */
export class MqttIngest {
  private client: MqttClient | null = null;
  private pubacks: HeldPubacks | null = null;
  private subscribed: Promise<void> | null = null;
  private staged: Staged[] = [];
  private stagedBytes = 0;
  private commitScheduled = false;
  private gapTimer: NodeJS.Timeout | null = null;
  onMessage: ((topic: string) => void) | null = null;

  constructor(
    private readonly config: CollectorConfig['mqtt'],
    private readonly pipeline: MessagePipeline,
    private readonly metrics: CollectorMetrics,
    private readonly log: Logger,
    private readonly stalledGaps: StalledGaps | null = null,
    private readonly writeThrough: WriteThrough | null = null,
  ) {}

  start(): void {
    const client = mqtt.connect(this.config.url, {
      clientId: this.config.clientId,
      username: this.config.username,
      password: this.config.password,
      clean: false,
      protocolVersion: this.config.protocolVersion,
      // MQTT 5 would otherwise end the session at disconnect; keep it for a day of collector downtime.
      properties: this.config.protocolVersion === 5 ? { sessionExpiryInterval: 86_400 } : undefined,
      reconnectPeriod: 1000,
      connectTimeout: this.config.connectTimeoutMs,
      resubscribe: true,
    });
    this.client = client;
    this.pubacks = new HeldPubacks(client);
    client.handleMessage = (packet, callback) => this.receive(packet as IPublishPacket, callback);
    client.on('error', (err) => this.log.error({ err: err.message }, 'mqtt error'));
    client.on('offline', () => this.log.warn('mqtt offline; the broker keeps our QoS 1 messages'));
    client.on('reconnect', () => this.log.debug('mqtt reconnecting'));
    if (this.stalledGaps && this.config.gapReconnectMs > 0) {
      const gaps = this.stalledGaps;
      this.gapTimer = setInterval(
        () => this.resendIfStalled(gaps),
        Math.max(1000, this.config.gapReconnectMs / 4),
      );
      this.gapTimer.unref();
    }
    this.subscribed = new Promise((resolve) => {
      client.on('connect', (connack) => {
        this.log.info({ url: this.config.url, sessionPresent: connack.sessionPresent }, 'mqtt connected');
        client.subscribe(INGEST_FILTERS, { qos: 1 }, (err, granted) => {
          if (err) {
            this.log.error({ err: err.message }, 'mqtt subscribe failed');
            return;
          }
          const refused = (granted ?? []).filter((g) => g.qos === 128);
          if (refused.length > 0) this.log.error({ refused }, 'broker refused subscriptions');
          else this.log.info({ filters: INGEST_FILTERS }, 'subscribed');
          resolve();
        });
      });
    });
  }

  /** Resolves once the first subscription is in place. */
  ready(): Promise<void> {
    return this.subscribed ?? Promise.reject(new Error('ingest not started'));
  }

  private receive(packet: IPublishPacket, callback: (error?: Error) => void): void {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    this.staged.push({
      topic: packet.topic,
      payload,
      messageId: packet.qos > 0 ? packet.messageId : undefined,
      connection: this.pubacks?.current ?? 0,
      endTimer: this.metrics.ingestLatency.startTimer(),
    });
    this.stagedBytes += payload.length;
    // Lets mqtt.js parse the next message; its PUBACK for this one is held back (HeldPubacks).
    callback();
    if (
      this.staged.length >= this.config.groupCommit.maxMessages ||
      this.stagedBytes >= this.config.groupCommit.maxBytes
    )
      this.commit();
    else if (!this.commitScheduled) {
      // After the messages already read from the socket have been staged.
      this.commitScheduled = true;
      setImmediate(() => this.commit());
    }
  }

  private commit(): void {
    this.commitScheduled = false;
    if (this.writeThrough) {
      this.submit(this.writeThrough);
      return;
    }
    const group = this.staged;
    if (group.length === 0) return;
    this.staged = [];
    this.stagedBytes = 0;
    let outcomes: MessageOutcome[];
    try {
      outcomes = this.pipeline.handleGroup(group);
    } catch (err) {
      this.storeFailed(err, group.length);
      return;
    }
    this.acknowledge(group, outcomes);
  }

  /** Hands staged messages to write-through while it has room; what is left waits for a group to commit. */
  private submit(writeThrough: WriteThrough): void {
    while (this.staged.length > 0 && !writeThrough.busy) {
      const size = Math.min(this.config.groupCommit.maxMessages, writeThrough.maxGroupMessages);
      const group = this.staged.splice(0, size);
      this.stagedBytes = this.staged.reduce((n, m) => n + m.payload.length, 0);
      writeThrough
        .handle(group)
        .then(
          (outcomes) => this.acknowledge(group, outcomes),
          (err: unknown) => this.storeFailed(err, group.length),
        )
        .finally(() => {
          if (this.staged.length > 0) this.commit();
        });
    }
  }

  /** The state database failed: no PUBACK; dropping the connection makes the broker redeliver. */
  private storeFailed(err: unknown, messages: number): void {
    this.log.error({ err: (err as Error).message, messages }, 'could not store messages; reconnecting');
    this.client?.stream.destroy();
  }

  private acknowledge(group: readonly Staged[], outcomes: readonly MessageOutcome[]): void {
    this.metrics.groupSize.observe(group.length);
    for (const [i, m] of group.entries()) {
      m.endTimer();
      if (m.messageId !== undefined) this.pubacks?.send(m.messageId, m.connection);
      const outcome = outcomes[i];
      if (outcome?.kind === 'dead-letter')
        this.log.warn({ topic: m.topic, reason: outcome.reason }, 'message kept as a dead letter');
      this.onMessage?.(m.topic);
    }
  }

  private resendIfStalled(gaps: StalledGaps): void {
    const client = this.client;
    if (!client?.connected || !gaps.check()) return;
    this.log.warn(
      { afterMs: this.config.gapReconnectMs },
      'sequence gaps still open; reconnecting so the broker resends what it holds unacknowledged',
    );
    this.commit();
    client.stream.destroy();
  }

  /** QoS 1; mqtt.js queues it while the connection is down. */
  publish(topic: string, payload: string): void {
    this.client?.publish(topic, payload, { qos: 1 }, (err) => {
      if (err) this.log.error({ err: err.message, topic }, 'publish failed');
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (this.gapTimer) clearInterval(this.gapTimer);
    if (!client) return;
    this.commit();
    // Groups still being written are committed and acknowledged before the session ends.
    while (this.writeThrough && (this.staged.length > 0 || this.writeThrough.groupsInFlight > 0)) {
      await this.writeThrough.settled();
      this.commit();
    }
    this.client = null;
    await client.endAsync(false);
  }
}
