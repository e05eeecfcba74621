/** MPEG audio frame headers (ISO 11172-3 / 13818-3), enough to walk a stream and count samples. */
export interface FrameHeader {
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  sampleRate: number;
  channels: 1 | 2;
  bytes: number;
  samples: number;
  hasCrc: boolean;
}

const BITRATES_KBPS: Record<string, number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const SAMPLE_RATES: Record<string, number[]> = {
  '1': [44100, 48000, 32000],
  '2': [22050, 24000, 16000],
  '2.5': [11025, 12000, 8000],
};

/** The header at the start of `b`, or null when the bytes are not a valid (non free-format) frame header. */
export function parseFrameHeader(b: Buffer): FrameHeader | null {
  if (b.length < 4) return null;
  const h = b.readUInt32BE(0);
  if (h >>> 21 !== 0x7ff) return null;
  const versionBits = (h >>> 19) & 3;
  const layerBits = (h >>> 17) & 3;
  const bitrateIndex = (h >>> 12) & 15;
  const rateIndex = (h >>> 10) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) {
    return null;
  }
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const kbps = BITRATES_KBPS[`${version === 1 ? 1 : 2}-${layer}`]?.[bitrateIndex] ?? 0;
  const sampleRate = SAMPLE_RATES[String(version)]?.[rateIndex] ?? 0;
  const padding = (h >>> 9) & 1;
  const bitrate = kbps * 1000;
  let bytes: number;
  let samples: number;
  if (layer === 1) {
    bytes = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4;
    samples = 384;
  } else if (layer === 2 || version === 1) {
    bytes = Math.floor((144 * bitrate) / sampleRate) + padding;
    samples = 1152;
  } else {
    bytes = Math.floor((72 * bitrate) / sampleRate) + padding;
    samples = 576;
  }
  return {
    version,
    layer,
    sampleRate,
    channels: ((h >>> 6) & 3) === 3 ? 1 : 2,
    bytes,
    samples,
    hasCrc: ((h >>> 16) & 1) === 0,
  };
}

/** Where a Xing/Info (LAME) tag would sit in a layer III frame: after the header and the side info. */
export function xingOffset(f: FrameHeader): number {
  const sideInfo = f.version === 1 ? (f.channels === 1 ? 17 : 32) : f.channels === 1 ? 9 : 17;
  return 4 + (f.hasCrc ? 2 : 0) + sideInfo;
}

/** Frame count from a Xing/Info tag in the first frame, if it carries one. */
export function xingFrameCount(frame: Buffer, f: FrameHeader): { isTag: boolean; frames?: number } {
  if (f.layer !== 3) return { isTag: false };
  const at = xingOffset(f);
  const id = frame.toString('latin1', at, at + 4);
  if (id !== 'Xing' && id !== 'Info') {
    return { isTag: frame.toString('latin1', 36, 40) === 'VBRI' };
  }
  if (frame.length < at + 12) return { isTag: true };
  const flags = frame.readUInt32BE(at + 4);
  return (flags & 1) === 1 ? { isTag: true, frames: frame.readUInt32BE(at + 8) } : { isTag: true };
}
