import type { Duplex } from 'node:stream';

export class OversizedPacketError extends Error {
  override name = 'OversizedPacketError';
}

/**
 * Follows MQTT framing (type byte, variable-length "remaining length", body) across chunks and
 * reports the first packet whose body exceeds the limit, before the parser buffers it.
 */
export class PacketFramer {
  private phase: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;

  constructor(private readonly maxPacketSize: number) {}

  /** Returns the offending length, or -1 when every packet seen so far fits. */
  feed(chunk: Uint8Array): number {
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'type') {
        i++;
        this.phase = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
      } else if (this.phase === 'length') {
        const byte = chunk[i++] ?? 0;
        this.length += (byte & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        this.lengthBytes++;
        if (this.length > this.maxPacketSize) return this.length;
        if ((byte & 0x80) === 0) {
          this.bodyLeft = this.length;
          this.phase = this.bodyLeft > 0 ? 'body' : 'type';
        } else if (this.lengthBytes === 4) return Number.MAX_SAFE_INTEGER;
      } else {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        i += take;
        this.bodyLeft -= take;
        if (this.bodyLeft === 0) this.phase = 'type';
      }
    }
    return -1;
  }
}

/**
 * aedes pulls bytes with `conn.read()`; checking them there costs no extra stream per connection.
 * An oversized packet destroys the connection with an OversizedPacketError.
 */
export function guardPacketSize(conn: Duplex, maxPacketSize: number, onBytes: (n: number) => void): void {
  const framer = new PacketFramer(maxPacketSize);
  const read = conn.read.bind(conn);
  conn.read = (size?: number) => {
    const chunk: unknown = read(size);
    if (chunk instanceof Uint8Array) {
      onBytes(chunk.length);
      const over = framer.feed(chunk);
      if (over >= 0) {
        conn.destroy(
          new OversizedPacketError(`packet of ${over} bytes exceeds the ${maxPacketSize}-byte limit`),
        );
        return null;
      }
    }
    return chunk;
  };
}
