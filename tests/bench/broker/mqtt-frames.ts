// Just enough MQTT 3.1.1 decoding for a benchmark subscriber: frames split or joined anyhow by TCP, and the
// PUBLISH fields it needs. Kept by hand (not mqtt-packet's parser) so the subscriber costs next to nothing.

/** Control packet types (MQTT 3.1.1 §2.2.1) the subscriber meets. */
export const PacketType = {
  connack: 2,
  publish: 3,
  puback: 4,
  suback: 9,
  pingresp: 13,
} as const;

export interface Frame {
  type: number;
  flags: number;
  /** Variable header and payload; a view into the received bytes, valid until the next push. */
  body: Buffer;
}

export interface PublishFrame {
  topic: string;
  qos: number;
  /** Present for QoS 1 and 2. */
  packetId?: number;
  payload: Buffer;
}

/** The remaining-length varint is at most 4 bytes (§2.2.3): 268,435,455 bytes. */
const MAX_LENGTH_BYTES = 4;

/** Where a frame's body starts and how long it is, or undefined when its header is not complete yet. */
function readHeader(buf: Buffer, at: number): { bodyAt: number; length: number } | undefined {
  let length = 0;
  let multiplier = 1;
  for (let k = 0; k < MAX_LENGTH_BYTES; k++) {
    const i = at + 1 + k;
    const byte = buf[i];
    if (byte === undefined) return undefined;
    length += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { bodyAt: i + 1, length };
    multiplier *= 128;
  }
  throw new Error(`malformed remaining length at byte ${at + 1}: more than ${MAX_LENGTH_BYTES} bytes`);
}

/** Turns a byte stream into whole frames; keeps an incomplete tail until the next chunk arrives. */
export class FrameReader {
  private tail: Buffer | undefined;

  push(chunk: Buffer, onFrame: (frame: Frame) => void): void {
    const buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    let at = 0;
    while (at < buf.length) {
      const header = readHeader(buf, at);
      if (!header || buf.length - header.bodyAt < header.length) break;
      const first = buf[at] ?? 0;
      const end = header.bodyAt + header.length;
      onFrame({ type: first >> 4, flags: first & 0x0f, body: buf.subarray(header.bodyAt, end) });
      at = end;
    }
    // Copied so a kept tail does not pin (or see reuse of) the socket's whole chunk.
    this.tail = at < buf.length ? Buffer.from(buf.subarray(at)) : undefined;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get pending(): number {
    return this.tail?.length ?? 0;
  }
}

export function decodePublish(frame: Frame): PublishFrame {
  const qos = (frame.flags >> 1) & 0x03;
  if (qos === 3) throw new Error('PUBLISH with QoS 3');
  const { body } = frame;
  if (body.length < 2) throw new Error('PUBLISH too short for its topic length');
  const topicEnd = 2 + body.readUInt16BE(0);
  const idEnd = qos > 0 ? topicEnd + 2 : topicEnd;
  if (body.length < idEnd) throw new Error(`PUBLISH of ${body.length} bytes shorter than its topic and id`);
  const topic = body.toString('utf8', 2, topicEnd);
  const payload = body.subarray(idEnd);
  return qos > 0 ? { topic, qos, packetId: body.readUInt16BE(topicEnd), payload } : { topic, qos, payload };
}

/** PUBACK for a QoS 1 packet id: fixed header 0x40, remaining length 2, the id. */
export function encodePuback(packetId: number): Buffer {
  return Buffer.from([0x40, 0x02, packetId >> 8, packetId & 0xff]);
}

export const PINGREQ = Buffer.from([0xc0, 0x00]);

const CONNACK_CODES: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/** The CONNACK's return code, or an error naming the refusal. */
export function checkConnack(frame: Frame): void {
  const code = frame.body[1];
  if (frame.body.length !== 2 || code === undefined) throw new Error('CONNACK of the wrong length');
  if (code !== 0) throw new Error(`CONNACK refused: ${code} (${CONNACK_CODES[code] ?? 'unknown code'})`);
}

/** SUBACK for `packetId` granting one subscription; 0x80 is a refusal. Returns the granted QoS. */
export function checkSuback(frame: Frame, packetId: number): number {
  const { body } = frame;
  if (body.length !== 3) throw new Error(`SUBACK of ${body.length} bytes, expected 3 (one subscription)`);
  const id = body.readUInt16BE(0);
  if (id !== packetId) throw new Error(`SUBACK for packet ${id}, expected ${packetId}`);
  const granted = body[2] ?? 0x80;
  if (granted === 0x80) throw new Error('SUBACK refused the subscription (0x80)');
  return granted;
}
