/** What a PUBLISH frame is built from (an aedes packet after authorizeForward). */
export interface PublishSource {
  topic: string;
  payload: Buffer;
  retain: boolean;
  dup: boolean;
}

interface Template {
  topic: string;
  header: number;
  /** The whole frame; for QoS > 0 its packet id bytes are overwritten per subscriber. */
  bytes: Buffer;
  idAt: number;
}

/** Frames no larger than this are copied per subscriber; bigger ones share their payload bytes. */
const COPY_LIMIT = 4096;

function remainingLength(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return out;
}

function buildTemplate(source: PublishSource, qos: number): Template {
  const topicLength = Buffer.byteLength(source.topic);
  const idLength = qos > 0 ? 2 : 0;
  const header = 0x30 | (source.dup ? 0x08 : 0) | (qos << 1) | (source.retain ? 0x01 : 0);
  const length = remainingLength(2 + topicLength + idLength + source.payload.length);
  const bytes = Buffer.allocUnsafe(1 + length.length + 2 + topicLength + idLength + source.payload.length);
  let at = bytes.writeUInt8(header, 0);
  for (const b of length) at = bytes.writeUInt8(b, at);
  at = bytes.writeUInt16BE(topicLength, at);
  at += bytes.write(source.topic, at, 'utf8');
  const idAt = at;
  source.payload.copy(bytes, at + idLength);
  return { topic: source.topic, header, bytes, idAt };
}

/**
 * The bytes of one message as a PUBLISH, encoded once per message rather than once per subscriber: a
 * fan-out hands every subscriber the same payload Buffer, which keys the cache (so it frees itself).
 */
export class PublishFrames {
  private readonly byPayload = new WeakMap<Buffer, Template>();

  /** Chunks to write in order (one for small frames); `messageId` only for QoS > 0. */
  chunks(source: PublishSource, qos: number, messageId: number): Buffer[] {
    const template = this.template(source, qos);
    if (qos === 0) return [template.bytes];
    if (template.bytes.length <= COPY_LIMIT) {
      const frame = Buffer.allocUnsafe(template.bytes.length);
      template.bytes.copy(frame);
      frame.writeUInt16BE(messageId, template.idAt);
      return [frame];
    }
    const id = Buffer.allocUnsafe(2);
    id.writeUInt16BE(messageId, 0);
    const end = template.idAt + 2;
    return [template.bytes.subarray(0, template.idAt), id, template.bytes.subarray(end)];
  }

  private template(source: PublishSource, qos: number): Template {
    const header = 0x30 | (source.dup ? 0x08 : 0) | (qos << 1) | (source.retain ? 0x01 : 0);
    const cached = this.byPayload.get(source.payload);
    if (cached && cached.header === header && cached.topic === source.topic) return cached;
    const built = buildTemplate(source, qos);
    this.byPayload.set(source.payload, built);
    return built;
  }
}
