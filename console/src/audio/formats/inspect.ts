import type { ByteSource } from './byte-source.js';
import { FileSource } from './byte-source.js';
import type { AudioFacts } from './facts.js';
import { parseMp3 } from './mp3.js';
import { parseOgg } from './ogg.js';
import { sniffFormat } from './sniff.js';
import { parseWav } from './wav.js';

/** Sniffs the container and parses it fully; rejects with AudioRejected when it is not sound audio. */
export async function inspectAudio(src: ByteSource): Promise<AudioFacts> {
  const format = sniffFormat(await src.read(0, 512));
  if (format === 'wav') return parseWav(src);
  if (format === 'ogg') return parseOgg(src);
  return parseMp3(src);
}

export async function inspectAudioFile(path: string): Promise<AudioFacts> {
  const src = await FileSource.open(path);
  try {
    return await inspectAudio(src);
  } finally {
    await src.close();
  }
}
