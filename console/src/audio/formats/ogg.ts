import type { ByteSource } from './byte-source.js';
import { AudioRejected } from './facts.js';
import type { AudioFacts } from './facts.js';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? ((r << 1) ^ 0x04c11db7) >>> 0 : (r << 1) >>> 0;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, unreflected, initial 0) over a page with its CRC field zeroed. */
export function oggCrc(page: Buffer): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : (page[i] ?? 0);
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  }
  return crc;
}

interface Codec {
  codec: 'vorbis' | 'opus';
  sampleRate: number;
  channels: number;
  /** Samples at the start that decoders drop (Opus pre-skip). */
  preSkip: number;
  /** Granule positions count samples at this rate. */
  granuleRate: number;
}

/**
 * Walks every page of the first logical stream: checksums, sequence numbers and the end-of-stream flag, so
 * corrupt or truncated files are refused; duration comes from the last granule position.
 */
export async function parseOgg(src: ByteSource): Promise<AudioFacts> {
  let offset = 0;
  let serial: number | null = null;
  let codec: Codec | null = null;
  let expectedSeq = 0;
  let lastGranule = -1n;
  let ended = false;
  while (offset < src.size && !ended) {
    const header = await src.read(offset, 27);
    if (header.length < 27) throw truncated(offset);
    if (header.toString('latin1', 0, 4) !== 'OggS' || header[4] !== 0) {
      throw new AudioRejected('corrupt', `OGG: no page header at byte ${offset} (corrupt file)`);
    }
    const segments = header[26] ?? 0;
    const table = await src.read(offset + 27, segments);
    if (table.length < segments) throw truncated(offset);
    const bodyBytes = table.reduce((sum, n) => sum + n, 0);
    const pageBytes = 27 + segments + bodyBytes;
    const page = await src.read(offset, pageBytes);
    if (page.length < pageBytes) throw truncated(offset);
    if (oggCrc(page) !== page.readUInt32LE(22)) {
      throw new AudioRejected(
        'corrupt',
        `OGG: checksum mismatch in the page at byte ${offset} (corrupt file)`,
      );
    }
    const flags = page[5] ?? 0;
    const pageSerial = page.readUInt32LE(14);
    if (serial === null) {
      if ((flags & 0x02) === 0)
        throw new AudioRejected('corrupt', 'OGG: the first page does not begin a stream');
      serial = pageSerial;
      codec = identify(page.subarray(27 + segments));
    }
    if (pageSerial === serial) {
      const seq = page.readUInt32LE(18);
      if (seq !== expectedSeq) {
        throw new AudioRejected(
          'corrupt',
          `OGG: page ${expectedSeq} is missing (found ${seq}; corrupt file)`,
        );
      }
      expectedSeq++;
      const granule = page.readBigInt64LE(6);
      if (granule >= 0n) lastGranule = granule;
      ended = (flags & 0x04) !== 0;
    }
    offset += pageBytes;
  }
  if (codec === null) throw new AudioRejected('empty', 'OGG: the file holds no pages');
  if (!ended) {
    throw new AudioRejected('truncated', 'OGG: the stream has no end-of-stream page (truncated upload?)');
  }
  const samples = Number(lastGranule) - codec.preSkip;
  if (samples <= 0) throw new AudioRejected('empty', 'OGG: the stream holds no audio samples');
  return {
    format: 'ogg',
    codec: codec.codec,
    sampleRate: codec.sampleRate,
    channels: codec.channels,
    durationMs: Math.round((samples / codec.granuleRate) * 1000),
  };
}

function truncated(offset: number): AudioRejected {
  return new AudioRejected(
    'truncated',
    `OGG: the file ends inside the page at byte ${offset} (truncated upload?)`,
  );
}

function identify(packet: Buffer): Codec {
  if (packet.length >= 30 && packet[0] === 1 && packet.toString('latin1', 1, 7) === 'vorbis') {
    const channels = packet[11] ?? 0;
    const sampleRate = packet.readUInt32LE(12);
    if (channels === 0 || sampleRate === 0) throw new AudioRejected('corrupt', 'OGG: invalid Vorbis header');
    return { codec: 'vorbis', channels, sampleRate, preSkip: 0, granuleRate: sampleRate };
  }
  if (packet.length >= 19 && packet.toString('latin1', 0, 8) === 'OpusHead') {
    const channels = packet[9] ?? 0;
    if (channels === 0) throw new AudioRejected('corrupt', 'OGG: invalid Opus header');
    const inputRate = packet.readUInt32LE(12);
    return {
      codec: 'opus',
      channels,
      sampleRate: inputRate > 0 ? inputRate : 48_000,
      preSkip: packet.readUInt16LE(10),
      granuleRate: 48_000,
    };
  }
  const name = packet
    .subarray(0, 8)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '');
  throw new AudioRejected(
    'unsupported',
    `OGG: the stream carries ${name || 'an unknown codec'}, not Vorbis or Opus audio`,
  );
}
