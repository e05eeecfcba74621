import type { ByteSource } from './byte-source.js';
import { AudioRejected } from './facts.js';
import type { AudioFacts } from './facts.js';

const CODECS: Record<number, (bits: number) => string> = {
  1: (bits) => (bits === 8 ? 'pcm_u8' : `pcm_s${bits}le`),
  3: (bits) => `pcm_f${bits}le`,
  6: () => 'pcm_alaw',
  7: () => 'pcm_mulaw',
};
const EXTENSIBLE = 0xfffe;

/** Writers that stream (to a pipe) cannot seek back to fill in the data size and leave one of these. */
function isUnknownLength(size: number): boolean {
  return size === 0 || size >= 0x7fff_0000;
}

/** Walks the RIFF chunks: a valid fmt chunk, then a data chunk whose declared length is really there. */
export async function parseWav(src: ByteSource): Promise<AudioFacts> {
  const riff = await src.read(0, 12);
  if (riff.length < 12) throw new AudioRejected('truncated', 'WAV: the file ends inside the RIFF header');
  let offset = 12;
  let fmt: {
    codec: string;
    channels: number;
    sampleRate: number;
    byteRate: number;
    blockAlign: number;
  } | null = null;
  while (offset + 8 <= src.size) {
    const header = await src.read(offset, 8);
    const id = header.toString('latin1', 0, 4);
    const size = header.readUInt32LE(4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16)
        throw new AudioRejected('corrupt', `WAV: fmt chunk is ${size} bytes, expected at least 16`);
      fmt = parseFmt(await src.read(body, Math.min(size, 40)));
    } else if (id === 'data') {
      if (fmt === null) throw new AudioRejected('corrupt', 'WAV: data chunk before the fmt chunk');
      const available = src.size - body;
      let dataBytes = size;
      if (size > available) {
        if (!isUnknownLength(size)) {
          throw new AudioRejected(
            'truncated',
            `WAV: the data chunk declares ${size} bytes but the file holds only ${available} (truncated upload?)`,
          );
        }
        dataBytes = available;
      } else if (size === 0) {
        dataBytes = available;
      }
      const frames = Math.floor(dataBytes / fmt.blockAlign);
      if (frames === 0) throw new AudioRejected('empty', 'WAV: the data chunk holds no samples');
      return {
        format: 'wav',
        codec: fmt.codec,
        sampleRate: fmt.sampleRate,
        channels: fmt.channels,
        durationMs: Math.round((frames / fmt.sampleRate) * 1000),
      };
    }
    offset = body + size + (size % 2);
  }
  throw new AudioRejected(
    fmt === null ? 'corrupt' : 'truncated',
    fmt === null ? 'WAV: no fmt chunk found' : 'WAV: no data chunk found (truncated upload?)',
  );
}

function parseFmt(b: Buffer): {
  codec: string;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
} {
  let tag = b.readUInt16LE(0);
  const channels = b.readUInt16LE(2);
  const sampleRate = b.readUInt32LE(4);
  const byteRate = b.readUInt32LE(8);
  const blockAlign = b.readUInt16LE(12);
  const bits = b.readUInt16LE(14);
  if (tag === EXTENSIBLE && b.length >= 26) tag = b.readUInt16LE(24);
  const codec = CODECS[tag];
  if (codec === undefined) {
    throw new AudioRejected(
      'unsupported',
      `WAV: sample encoding 0x${tag.toString(16)} is not supported (use PCM)`,
    );
  }
  if (channels < 1 || channels > 8)
    throw new AudioRejected('corrupt', `WAV: ${channels} channels is not valid`);
  if (sampleRate < 4000 || sampleRate > 384_000) {
    throw new AudioRejected('corrupt', `WAV: sample rate ${sampleRate} Hz is not valid`);
  }
  if (bits === 0 || blockAlign !== channels * Math.ceil(bits / 8) || byteRate !== sampleRate * blockAlign) {
    throw new AudioRejected(
      'corrupt',
      `WAV: inconsistent fmt chunk (${channels} ch, ${bits} bit, block ${blockAlign}, ${byteRate} B/s)`,
    );
  }
  return { codec: codec(bits), channels, sampleRate, byteRate, blockAlign };
}
