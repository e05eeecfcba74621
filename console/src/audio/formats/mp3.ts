import type { ByteSource } from './byte-source.js';
import { AudioRejected } from './facts.js';
import type { AudioFacts } from './facts.js';
import { parseFrameHeader, xingFrameCount } from './mp3-frame.js';
import type { FrameHeader } from './mp3-frame.js';

/** Sync is searched this far after the ID3 tag (some encoders leave a little padding). */
const SYNC_SEARCH_BYTES = 64 * 1024;

/**
 * Walks every MPEG frame header from the first to the last, so a file that loses sync in the middle or
 * stops inside a frame is caught; duration = samples / rate. Trailing ID3v1/APE/Lyrics tags are allowed.
 */
export async function parseMp3(src: ByteSource): Promise<AudioFacts> {
  let offset = await skipId3v2(src);
  const first = await findFirstFrame(src, offset);
  offset = first.offset;
  const head = first.header;
  let frames = 0;
  let samples = 0;
  let expectedFrames: number | undefined;

  const firstFrame = await src.read(offset, head.bytes);
  const tag = xingFrameCount(firstFrame, head);
  if (tag.isTag) {
    expectedFrames = tag.frames;
    offset += head.bytes;
  }
  while (offset < src.size) {
    const bytes = await src.read(offset, 4);
    const header = parseFrameHeader(bytes);
    if (header === null || !sameStream(header, head)) {
      if (await isTrailer(src, offset)) break;
      throw new AudioRejected(
        'corrupt',
        `MP3: lost frame sync at byte ${offset} of ${src.size} after ${frames} frames (corrupt file)`,
      );
    }
    if (offset + header.bytes > src.size) {
      throw new AudioRejected(
        'truncated',
        `MP3: the last frame at byte ${offset} needs ${header.bytes} bytes but the file ends after ${src.size - offset} (truncated upload?)`,
      );
    }
    frames++;
    samples += header.samples;
    offset += header.bytes;
  }
  if (frames < 2) throw new AudioRejected('empty', 'MP3: the file holds no audio frames');
  if (expectedFrames !== undefined && frames < expectedFrames - 1) {
    throw new AudioRejected(
      'truncated',
      `MP3: the header announces ${expectedFrames} frames but only ${frames} are present (truncated upload?)`,
    );
  }
  return {
    format: 'mp3',
    codec: head.layer === 3 ? 'mp3' : `mp${head.layer}`,
    sampleRate: head.sampleRate,
    channels: head.channels,
    durationMs: Math.round((samples / head.sampleRate) * 1000),
  };
}

async function skipId3v2(src: ByteSource): Promise<number> {
  let offset = 0;
  for (;;) {
    const h = await src.read(offset, 10);
    if (h.length < 10 || h.toString('latin1', 0, 3) !== 'ID3') return offset;
    const size = ((h[6] ?? 0) << 21) | ((h[7] ?? 0) << 14) | ((h[8] ?? 0) << 7) | (h[9] ?? 0);
    const footer = ((h[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
    offset += 10 + size + footer;
    if (offset >= src.size) throw new AudioRejected('empty', 'MP3: the file holds only an ID3 tag, no audio');
  }
}

/** A candidate header counts only when the next frame starts where it says, with the same parameters. */
async function findFirstFrame(
  src: ByteSource,
  from: number,
): Promise<{ offset: number; header: FrameHeader }> {
  const window = await src.read(from, SYNC_SEARCH_BYTES + 4);
  for (let i = 0; i + 4 <= window.length; i++) {
    if (window[i] !== 0xff) continue;
    const header = parseFrameHeader(window.subarray(i, i + 4));
    if (header === null) continue;
    const nextAt = from + i + header.bytes;
    if (nextAt >= src.size) continue;
    const next = parseFrameHeader(await src.read(nextAt, 4));
    if (next !== null && sameStream(next, header)) return { offset: from + i, header };
  }
  throw new AudioRejected('corrupt', 'MP3: no valid MPEG audio frames found (not an MP3 or corrupt)');
}

function sameStream(a: FrameHeader, b: FrameHeader): boolean {
  return a.version === b.version && a.layer === b.layer && a.sampleRate === b.sampleRate;
}

/** Tags and zero padding that may follow the last frame. */
async function isTrailer(src: ByteSource, offset: number): Promise<boolean> {
  const rest = src.size - offset;
  const head = await src.read(offset, 8);
  const id = head.toString('latin1');
  if (id.startsWith('TAG') && rest <= 128 + 227) return true;
  if (id.startsWith('APETAGEX') || id.startsWith('LYRICS') || id.startsWith('ID3')) return true;
  if (rest <= 4096) {
    const tail = await src.read(offset, rest);
    return tail.every((b) => b === 0);
  }
  return false;
}
