import { filters } from '@xaso/device-profiles/contract';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { CollectorConfig } from '../config/schema.js';
import type { CollectorMetrics } from '../metrics.js';
import type { MessagePipeline } from './message-pipeline.js';

export const INGEST_FILTERS = [filters.allTelemetry, filters.allStatus, filters.allEvents, filters.allAcks];

/**
 * The collector's MQTT session: persistent (clean: false, fixed client id) and QoS 1, so the broker
 * keeps what arrives while the collector is away. mqtt.js sends a PUBACK only after `handleMessage`
 * calls back (for MQTT 3.1.1 and 5 alike), and it calls back only after the message's durable commit:
 * a crash before the commit leaves the message unacknowledged and the broker redelivers it.
 */
export class MqttIngest {
  private client: MqttClient | null = null;
  private subscribed: Promise<void> | null = null;
  onMessage: ((topic: string) => void) | null = null;

  constructor(
    private readonly config: CollectorConfig['mqtt'],
    private readonly pipeline: MessagePipeline,
    private readonly metrics: CollectorMetrics,
    private readonly log: Logger,
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
      connectTimeout: 10_000,
      resubscribe: true,
    });
    this.client = client;
    client.handleMessage = (packet, callback) => this.receive(packet as IPublishPacket, callback);
    client.on('error', (err) => this.log.error({ err: err.message }, 'mqtt error'));
    client.on('offline', () => this.log.warn('mqtt offline; the broker keeps our QoS 1 messages'));
    client.on('reconnect', () => this.log.debug('mqtt reconnecting'));
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
    const end = this.metrics.ingestLatency.startTimer();
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    try {
      const outcome = this.pipeline.handle(packet.topic, payload);
      end();
      if (outcome.kind === 'dead-letter') {
        this.log.warn({ topic: packet.topic, reason: outcome.reason }, 'message kept as a dead letter');
      }
      this.onMessage?.(packet.topic);
      callback();
    } catch (err) {
      // The state database failed: no PUBACK; dropping the connection makes the broker redeliver.
      this.log.error(
        { err: (err as Error).message, topic: packet.topic },
        'could not store message; reconnecting',
      );
      callback(err as Error);
      this.client?.stream.destroy();
    }
  }

  /** QoS 1; mqtt.js queues it while the connection is down. */
  publish(topic: string, payload: string): void {
    this.client?.publish(topic, payload, { qos: 1 }, (err) => {
      if (err) this.log.error({ err: err.message, topic }, 'publish failed');
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.endAsync(false);
  }
}
