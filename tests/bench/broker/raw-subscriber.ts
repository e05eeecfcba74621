// A bare MQTT 3.1.1 subscriber over node:net for the fan-out bench: thousands of them in one process cost far
// less than mqtt.js clients, so the latency measured is mostly the broker's. mqtt-packet only builds the
// few outgoing packets; incoming bytes are decoded by hand (mqtt-frames.ts).
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { generate } from 'mqtt-packet';
import {
  type Frame,
  FrameReader,
  PINGREQ,
  PacketType,
  type PublishFrame,
  checkConnack,
  checkSuback,
  decodePublish,
  encodePuback,
} from './mqtt-frames.js';

export interface RawSubscriberOptions {
  host: string;
  port: number;
  clientId: string;
  username?: string;
  password?: string;
  topic: string;
  qos: 0 | 1;
  keepaliveSeconds: number;
  connectTimeoutMs: number;
  /** Called with the receive time (performance.timeOrigin + now()) taken when its chunk arrived. */
  onPublish: (publish: PublishFrame, at: number) => void;
  /** A connection that fails after it was ready: the bench cannot go on without it. */
  onLost: (err: Error) => void;
}

const SUBSCRIBE_ID = 1;

export class RawSubscriber {
  private lastSentAt = Date.now();
  /** Set by close(): the connection's end is then expected, not a loss. */
  closing = false;

  constructor(private readonly socket: Socket) {}

  send(bytes: Buffer): void {
    this.lastSentAt = Date.now();
    this.socket.write(bytes);
  }

  /** PINGREQ when nothing went out for `idleMs` (any packet the client sends resets the broker's keep-alive). */
  pingIfIdle(idleMs: number, nowMs: number): void {
    if (nowMs - this.lastSentAt >= idleMs) this.send(PINGREQ);
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }
}

export function connectRawSubscriber(opts: RawSubscriberOptions): Promise<RawSubscriber> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: opts.host, port: opts.port, noDelay: true });
    socket.setNoDelay(true);
    const subscriber = new RawSubscriber(socket);
    const reader = new FrameReader();
    let ready = false;
    let failed = false;
    const fail = (err: Error) => {
      if (failed || subscriber.closing) return;
      failed = true;
      clearTimeout(timer);
      socket.destroy();
      if (ready) opts.onLost(err);
      else reject(err);
    };
    const timer = setTimeout(
      () => fail(new Error(`${opts.clientId}: no SUBACK within ${opts.connectTimeoutMs} ms`)),
      opts.connectTimeoutMs,
    );
    const onFrame = (frame: Frame, at: number) => {
      switch (frame.type) {
        case PacketType.publish: {
          const publish = decodePublish(frame);
          if (publish.packetId !== undefined) subscriber.send(encodePuback(publish.packetId));
          opts.onPublish(publish, at);
          return;
        }
        case PacketType.connack:
          checkConnack(frame);
          subscriber.send(
            generate({
              cmd: 'subscribe',
              messageId: SUBSCRIBE_ID,
              subscriptions: [{ topic: opts.topic, qos: opts.qos }],
            }),
          );
          return;
        case PacketType.suback:
          checkSuback(frame, SUBSCRIBE_ID);
          ready = true;
          clearTimeout(timer);
          resolve(subscriber);
          return;
        case PacketType.pingresp:
          return;
        default:
          throw new Error(`unexpected packet type ${frame.type}`);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      const at = performance.timeOrigin + performance.now();
      try {
        reader.push(chunk, (frame) => onFrame(frame, at));
      } catch (err) {
        fail(new Error(`${opts.clientId}: ${(err as Error).message}`));
      }
    });
    socket.on('error', (err) => fail(new Error(`${opts.clientId}: ${err.message}`)));
    socket.on('close', () => fail(new Error(`${opts.clientId}: connection closed by the broker`)));
    socket.once('connect', () =>
      subscriber.send(
        generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clientId: opts.clientId,
          clean: true,
          keepalive: opts.keepaliveSeconds,
          ...(opts.username !== undefined ? { username: opts.username } : {}),
          ...(opts.password !== undefined ? { password: Buffer.from(opts.password) } : {}),
        }),
      ),
    );
  });
}
