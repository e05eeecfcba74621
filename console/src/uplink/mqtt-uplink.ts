import { topicMatches } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import type { Uplink } from '../app/env.js';

export interface UplinkOptions {
  url: string;
  clientId: string;
  username: string;
  password: string;
  log: Logger;
}

interface Subscription {
  filter: string;
  handler: (topic: string, payload: Buffer) => void;
}

/**
 * The console's MQTT connection. A persistent session (clean=false) keeps QoS 1 messages for us while
 * we are away; every (re)connect subscribes all filters again, which is idempotent for the broker.
 */
export class MqttUplink implements Uplink {
  private readonly subscriptions: Subscription[] = [];
  private readonly client: MqttClient;
  private readonly log: Logger;

  private constructor(options: UplinkOptions) {
    this.log = options.log;
    this.client = mqtt.connect(options.url, {
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      clean: false,
      resubscribe: false,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      keepalive: 30,
    });
    this.client.on('connect', (connack) => {
      this.log.info({ sessionPresent: connack.sessionPresent }, 'uplink connected');
      // Even with a stored session, filters added since (new code, new modules) must reach the broker.
      void this.resubscribe();
    });
    this.client.on('close', () => this.log.debug('uplink closed'));
    this.client.on('error', (err) => this.log.warn({ err: err.message }, 'uplink error'));
    this.client.on('message', (topic, payload) => this.dispatch(topic, payload));
  }

  /** Starts connecting; with `waitMs` resolves once connected or rejects after that long (still retrying). */
  static async connect(options: UplinkOptions, waitMs?: number): Promise<MqttUplink> {
    const uplink = new MqttUplink(options);
    if (waitMs !== undefined) await uplink.waitConnected(waitMs);
    return uplink;
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async publish(topic: string, payload: string, options: { qos: 0 | 1; retain: boolean }): Promise<void> {
    await this.client.publishAsync(topic, payload, options);
  }

  async subscribe(filter: string, handler: (topic: string, payload: Buffer) => void): Promise<void> {
    this.subscriptions.push({ filter, handler });
    if (this.client.connected) await this.subscribeFilter(filter);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  private async resubscribe(): Promise<void> {
    const filters = [...new Set(this.subscriptions.map((s) => s.filter))];
    for (const filter of filters) await this.subscribeFilter(filter).catch(() => undefined);
  }

  private async subscribeFilter(filter: string): Promise<void> {
    try {
      const granted = await this.client.subscribeAsync(filter, { qos: 1 });
      const refused = granted.filter((g) => g.qos === 128);
      if (refused.length > 0) throw new Error(`broker refused the subscription to ${filter}`);
    } catch (err) {
      this.log.error({ filter, err: (err as Error).message }, 'uplink subscription failed');
      throw err;
    }
  }

  private dispatch(topic: string, payload: Buffer): void {
    for (const sub of this.subscriptions) {
      if (!topicMatches(sub.filter, topic)) continue;
      try {
        sub.handler(topic, payload);
      } catch (err) {
        this.log.error({ topic, err }, 'uplink handler failed');
      }
    }
  }

  private waitConnected(timeoutMs: number): Promise<void> {
    if (this.client.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('connect', onConnect);
        reject(new Error(`could not connect to the MQTT broker within ${timeoutMs} ms`));
      }, timeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('connect', onConnect);
    });
  }
}
