import msgpack from 'msgpack-lite';

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
    this.bytes ??= msgpack.encode(this.packet);
    return this.bytes;
  }

  /** What a read from LevelDB would return: a fresh object with the same fields. */
  copy(): QueuedPacket {
    return { ...this.packet };
  }
}
