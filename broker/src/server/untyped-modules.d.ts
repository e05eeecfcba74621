// The async (aedes 1.x) persistence classes ship without type declarations; aedes types them as `any` too.
declare module 'aedes-persistence-level/asyncPersistence.js' {
  const AsyncLevelPersistence: new (db: unknown) => object;
  export default AsyncLevelPersistence;
}
declare module 'aedes-persistence-redis/asyncPersistence.js' {
  const AsyncRedisPersistence: new (opts: Record<string, unknown>) => object;
  export default AsyncRedisPersistence;
}
declare module 'aedes-packet' {
  /** Copies a publish for queueing: broker id and counter kept, message id cleared for QoS > 0. */
  class Packet {
    constructor(original: object, broker?: object);
  }
  export default Packet;
}
declare module 'msgpack-lite' {
  const msgpack: { encode(value: unknown): Buffer; decode(buffer: Buffer): unknown };
  export default msgpack;
}
declare module 'msgpack-lite/lib/encode-buffer.js' {
  /** msgpack-lite's encoder: `write` appends a value, `read` returns the bytes written since the last read. */
  class EncodeBuffer {
    write(value: unknown): void;
    read(): Buffer;
  }
  const encodeBuffer: { EncodeBuffer: typeof EncodeBuffer };
  export default encodeBuffer;
}
