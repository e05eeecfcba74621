import { AudioRejected } from './facts.js';
import type { AudioFormat } from './facts.js';

const ACCEPTED = 'accepted: MP3, WAV, OGG';

/** Things people upload by mistake, named so the error tells them what they picked. */
const KNOWN_OTHERS: Array<{ name: string; at: number; magic: string }> = [
  { name: 'a PNG image', at: 0, magic: '89504e47' },
  { name: 'a JPEG image', at: 0, magic: 'ffd8ff' },
  { name: 'a GIF image', at: 0, magic: '47494638' },
  { name: 'a PDF document', at: 0, magic: '25504446' },
  { name: 'a ZIP archive or Office document', at: 0, magic: '504b0304' },
  { name: 'a FLAC file (convert it to MP3 or OGG first)', at: 0, magic: '664c6143' },
  { name: 'an MP4/M4A file (convert it to MP3 or OGG first)', at: 4, magic: '66747970' },
  { name: 'a Matroska/WebM file', at: 0, magic: '1a45dfa3' },
];

/** The container by its first bytes; anything else is refused with what it seems to be. */
export function sniffFormat(head: Buffer): AudioFormat {
  if (head.length === 0) throw new AudioRejected('empty', `the file is empty (${ACCEPTED})`);
  const ascii = head.subarray(0, 12).toString('latin1');
  if (ascii.startsWith('ID3')) return 'mp3';
  if (ascii.startsWith('OggS')) return 'ogg';
  if (ascii.startsWith('RIFF')) {
    if (ascii.slice(8, 12) === 'WAVE') return 'wav';
    throw new AudioRejected('unsupported', `the file is a RIFF container but not WAVE audio (${ACCEPTED})`);
  }
  const b0 = head[0] ?? 0;
  const b1 = head[1] ?? 0;
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0) return 'mp3';
  for (const other of KNOWN_OTHERS) {
    const magic = Buffer.from(other.magic, 'hex');
    if (head.subarray(other.at, other.at + magic.length).equals(magic)) {
      throw new AudioRejected('not-audio', `the file is ${other.name}, not audio (${ACCEPTED})`);
    }
  }
  if (looksLikeText(head)) {
    throw new AudioRejected('not-audio', `the file is text, not audio (${ACCEPTED})`);
  }
  throw new AudioRejected('not-audio', `the file is not recognised as audio (${ACCEPTED})`);
}

function looksLikeText(head: Buffer): boolean {
  const sample = head.subarray(0, 512);
  if (sample.includes(0)) return false;
  return !sample.toString('utf8').includes('\ufffd');
}
