import { hasValidCrc } from './crc16.js';

export interface RtuRequest {
  unitId: number;
  /** Function code and data, without unit id and CRC. */
  pdu: Buffer;
}

/** Length of a request frame from its first bytes, or undefined when not yet known or the function is unknown. */
function requestLength(buf: Buffer): number | undefined {
  const fc = buf[1];
  if (fc === undefined) return undefined;
  if (fc >= 1 && fc <= 6) return 8;
  if (fc === 15 || fc === 16) {
    const byteCount = buf[6];
    return byteCount === undefined ? undefined : 9 + byteCount;
  }
  return undefined;
}

/**
 * Cuts a byte stream from the line into request frames. Known functions are cut by length and accepted
 * only with a valid CRC; on a bad CRC it slides one byte to resynchronise. The inter-frame silence
 * (3.5 characters, approximated by the caller's timer) ends anything else: a frame with an unknown
 * function is kept if its CRC is valid (it earns an "illegal function" reply), garbage is dropped.
 */
export class RtuRequestParser {
  private buffer = Buffer.alloc(0);
  /** Bytes thrown away as noise, broken or foreign frames. */
  discarded = 0;

  push(chunk: Uint8Array): RtuRequest[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const frames: RtuRequest[] = [];
    while (this.buffer.length >= 2) {
      const length = requestLength(this.buffer);
      if (length === undefined) {
        if (!this.skipToNextFrame(frames)) break;
        continue;
      }
      if (this.buffer.length < length) break;
      if (hasValidCrc(this.buffer.subarray(0, length))) {
        frames.push(toRequest(this.buffer.subarray(0, length)));
        this.buffer = this.buffer.subarray(length);
      } else {
        this.buffer = this.buffer.subarray(1);
        this.discarded++;
      }
    }
    return frames;
  }

  /**
   * The head has an unknown function (or is noise): if a complete valid frame starts further on, the head
   * ends there — kept when it is itself a valid frame, dropped otherwise. False when nothing is found yet.
   */
  private skipToNextFrame(frames: RtuRequest[]): boolean {
    const fc = this.buffer[1];
    if (fc === 15 || fc === 16) return false;
    for (let k = 1; k < this.buffer.length - 3; k++) {
      const rest = this.buffer.subarray(k);
      const length = requestLength(rest);
      if (length === undefined || rest.length < length || !hasValidCrc(rest.subarray(0, length))) continue;
      const head = this.buffer.subarray(0, k);
      if (head.length >= 4 && hasValidCrc(head)) frames.push(toRequest(head));
      else this.discarded += k;
      this.buffer = rest;
      return true;
    }
    return false;
  }

  /** The line went quiet: whatever is left is one frame of unknown length, or noise. */
  silence(): RtuRequest[] {
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    if (rest.length === 0) return [];
    if (rest.length >= 4 && requestLength(rest) === undefined && hasValidCrc(rest)) return [toRequest(rest)];
    this.discarded += rest.length;
    return [];
  }

  get pending(): number {
    return this.buffer.length;
  }
}

function toRequest(frame: Buffer): RtuRequest {
  return { unitId: frame[0] ?? 0, pdu: Buffer.from(frame.subarray(1, frame.length - 2)) };
}
