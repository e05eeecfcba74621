import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Logger } from 'pino';

export interface MqttLinkOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  ca?: string;
  keepaliveS: number;
  reconnectPeriodMs: number;
  will: { topic: string; payload: string };
}

export interface PublishOptions {
  qos: 0 | 1;
  retain: boolean;
}

type MessageHandler = (topic: string, payload: Buffer) => void;

/**
 * The one MQTT connection. Emits 'up' (after CONNACK) and 'down'. On a drop, mqtt.js's own outgoing
 * store is emptied so its resend on reconnect cannot duplicate what the outbox sends again.
 */
export class MqttLink extends EventEmitter<{ up: []; down: [reason: string]; message: [string, Buffer] }> {
  private client: MqttClient | undefined;
  private readonly subscriptions = new Map<string, MessageHandler>();

  constructor(
    private readonly options: MqttLinkOptions,
    private readonly log: Logger,
  ) {
    super();
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  start(): void {
    const o = this.options;
    const ca = o.ca === undefined ? undefined : existsSync(o.ca) ? readFileSync(o.ca) : Buffer.from(o.ca);
    const options: IClientOptions = {
      clientId: o.clientId,
      username: o.username,
      password: o.password,
      ca,
      clean: true,
      keepalive: o.keepaliveS,
      reconnectPeriod: o.reconnectPeriodMs,
      connectTimeout: 10_000,
      queueQoSZero: false,
      resubscribe: true,
      will: { topic: o.will.topic, payload: Buffer.from(o.will.payload), qos: 1, retain: true },
    };
    const client = mqtt.connect(o.url, options);
    this.client = client;
    let wasUp = false;
    let lastError = '';
    client.on('connect', () => {
      wasUp = true;
      lastError = '';
      // Acks are small writes in quick succession (received, then playing): Nagle would hold the second
      // until the first is TCP-acknowledged, tens of ms on the emergency path.
      const stream: unknown = client.stream;
      if (stream instanceof Socket) stream.setNoDelay(true);
      for (const topic of this.subscriptions.keys()) this.subscribeOn(client, topic);
      this.emit('up');
    });
    client.on('close', () => {
      for (const id of Object.keys(client.outgoing)) client.removeOutgoingMessage(Number(id));
      if (wasUp) {
        wasUp = false;
        this.emit('down', 'connection closed');
      }
    });
    // One warning per distinct error: a 4G outage would otherwise log every reconnect attempt.
    client.on('error', (err) => {
      const level = err.message === lastError ? 'debug' : 'warn';
      lastError = err.message;
      this.log[level]({ err: err.message, url: o.url }, 'MQTT error');
    });
    client.on('message', (topic, payload) => {
      this.subscriptions.get(topic)?.(topic, payload);
      this.emit('message', topic, payload);
    });
  }

  /** Resolves on PUBACK for QoS 1 (or once written for QoS 0); rejects when the link drops first. */
  publish(topic: string, payload: string, options: PublishOptions): Promise<void> {
    const client = this.client;
    if (!client?.connected) return Promise.reject(new Error('MQTT link is down'));
    return new Promise((resolve, reject) => {
      client.publish(topic, payload, options, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Exact topic subscription, renewed on every reconnect. */
  subscribe(topic: string, handler: MessageHandler): void {
    this.subscriptions.set(topic, handler);
    if (this.client?.connected) this.subscribeOn(this.client, topic);
  }

  unsubscribe(topic: string): void {
    if (!this.subscriptions.delete(topic)) return;
    if (this.client?.connected)
      this.client.unsubscribe(topic, (err) => {
        if (err) this.log.warn({ err: err.message, topic }, 'unsubscribe failed');
      });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.endAsync(false);
  }

  private subscribeOn(client: MqttClient, topic: string): void {
    client.subscribe(topic, { qos: 1 }, (err) => {
      if (err) this.log.error({ err: err.message, topic }, 'subscribe failed');
    });
  }
}
