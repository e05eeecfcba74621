import type { MqttClient, Packet } from 'mqtt';

/** The one internal of mqtt.js we rely on: every outgoing packet, PUBACKs included, passes through it. */
interface PacketSender {
  _sendPacket(packet: Packet, cb?: (err?: Error) => void, ...rest: unknown[]): void;
}

/**
 * mqtt.js sends a PUBACK as soon as `handleMessage` calls back, and hands over the next message only
 * then. To commit several messages in one transaction we call back at once and keep mqtt.js's PUBACKs
 * from the wire; `send` writes the real ones after the commit, only on the connection the messages
 * came on (a new connection reuses packet ids: the broker redelivers, and the dedupe catches it).
 */
export class HeldPubacks {
  private readonly write: PacketSender['_sendPacket'];
  private connection = 0;

  constructor(private readonly client: MqttClient) {
    const sender = client as unknown as PacketSender;
    this.write = sender._sendPacket.bind(client);
    sender._sendPacket = (packet, cb, ...rest) => {
      if (packet.cmd === 'puback') {
        cb?.();
        return;
      }
      this.write(packet, cb, ...rest);
    };
    client.on('close', () => {
      this.connection++;
    });
  }

  /** Identifies the current connection; a PUBACK is only valid on the one its message came on. */
  get current(): number {
    return this.connection;
  }

  send(messageId: number, connection: number): void {
    if (connection !== this.connection || !this.client.connected) return;
    this.write({ cmd: 'puback', messageId });
  }
}
