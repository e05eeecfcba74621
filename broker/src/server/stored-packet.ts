import encodeBuffer from 'msgpack-lite/lib/encode-buffer.js';

/**
 * msgpack-lite's `encode` zero-fills a fresh 2 KB buffer for every value; one long-lived encoder hands out
 * consecutive slices of its buffer instead, byte for byte the same encoding.
 */
let encoder = new encodeBuffer.EncodeBuffer();

export function encodePacket(value: unknown): Buffer {
  try {
    encoder.write(value);
    return encoder.read();
  } catch (err) {
    // A value it could not encode leaves half-written bytes behind: start again with a clean encoder.
    encoder = new encodeBuffer.EncodeBuffer();
    throw err;
  }
}

/** The fields of a stored packet the journal reads (the packet has more; they are kept as bytes). */
export interface QueuedPacket {
  brokerId?: string;
  brokerCounter?: number;
  messageId?: number;
}

/**
 * A packet as it will be stored, encoded only when first needed: most delivery records are cleared by the
 * PUBACK before their batch is written, so they are never encoded at all.
 */
export class StoredPacket {
  private bytes: Buffer | undefined;
  constructor(readonly packet: QueuedPacket) {}

  encoded(): Buffer {
    this.bytes ??= encodePacket(this.packet);
    return this.bytes;
  }

  /** What a read from LevelDB would return: a fresh object with the same fields. */
  copy(): QueuedPacket {
    return { ...this.packet };
  }
}
