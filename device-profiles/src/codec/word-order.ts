import type { WordOrder } from '../profile/register.js';

const WORD_SWAP: Record<WordOrder, boolean> = { ABCD: false, CDAB: true, BADC: false, DCBA: true };
const BYTE_SWAP: Record<WordOrder, boolean> = { ABCD: false, CDAB: false, BADC: true, DCBA: true };

/**
 * Turns registers as they arrive on the wire into big-endian bytes (most significant first), or back:
 * both swaps are their own inverse, so the same function serves decode and encode.
 */
export function reorder(words: readonly number[], order: WordOrder): number[] {
  const out = WORD_SWAP[order] ? [...words].reverse() : [...words];
  return BYTE_SWAP[order] ? out.map((w) => ((w & 0xff) << 8) | (w >> 8)) : out;
}

export function wordsToBuffer(words: readonly number[]): Buffer {
  const buf = Buffer.alloc(words.length * 2);
  words.forEach((w, i) => buf.writeUInt16BE(w & 0xffff, i * 2));
  return buf;
}

export function bufferToWords(buf: Buffer): number[] {
  const words: number[] = [];
  for (let i = 0; i < buf.length; i += 2) words.push(buf.readUInt16BE(i));
  return words;
}
