import { reedSolomon } from './reed-solomon.js';

/**
 * QR code encoder (ISO/IEC 18004): byte mode, error correction level M, versions 1–10 — enough for
 * enrollment codes and short URLs without a dependency. `modules[y][x]` is true for a dark module.
 */
export interface QrCode {
  version: number;
  size: number;
  mask: number;
  modules: boolean[][];
}

interface VersionSpec {
  /** Error-correction codewords per block. */
  ecPerBlock: number;
  /** Data codewords of each block, in order. */
  blocks: number[];
  /** Centres of the alignment patterns (both axes). */
  align: number[];
}

const VERSIONS_M: Record<number, VersionSpec> = {
  1: { ecPerBlock: 10, blocks: [16], align: [] },
  2: { ecPerBlock: 16, blocks: [28], align: [6, 18] },
  3: { ecPerBlock: 26, blocks: [44], align: [6, 22] },
  4: { ecPerBlock: 18, blocks: [32, 32], align: [6, 26] },
  5: { ecPerBlock: 24, blocks: [43, 43], align: [6, 30] },
  6: { ecPerBlock: 16, blocks: [27, 27, 27, 27], align: [6, 34] },
  7: { ecPerBlock: 18, blocks: [31, 31, 31, 31], align: [6, 22, 38] },
  8: { ecPerBlock: 22, blocks: [38, 38, 39, 39], align: [6, 24, 42] },
  9: { ecPerBlock: 22, blocks: [36, 36, 36, 37, 37], align: [6, 26, 46] },
  10: { ecPerBlock: 26, blocks: [43, 43, 43, 43, 44], align: [6, 28, 50] },
};
export const MAX_VERSION = 10;
const EC_LEVEL_M_BITS = 0b00;

function spec(version: number): VersionSpec {
  const found = VERSIONS_M[version];
  if (!found) throw new RangeError(`QR version ${version} is not supported (1–${MAX_VERSION})`);
  return found;
}

const countBits = (version: number) => (version < 10 ? 8 : 16);
const dataCodewords = (version: number) => spec(version).blocks.reduce((a, b) => a + b, 0);

/** How many bytes fit in a byte-mode symbol of this version at level M. */
export function byteCapacity(version: number): number {
  return Math.floor((dataCodewords(version) * 8 - 4 - countBits(version)) / 8);
}

/** 15 format bits for level M and the mask: BCH(15,5) with generator 0x537, XOR-ed with 0x5412. */
export function formatBits(mask: number): number {
  const data = (EC_LEVEL_M_BITS << 3) | mask;
  let rem = data;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  return ((data << 10) | (rem & 0x3ff)) ^ 0x5412;
}

/** 18 version bits (versions 7+): BCH(18,6) with generator 0x1F25. */
export function versionBits(version: number): number {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | (rem & 0xfff);
}

const bit = (value: number, i: number) => ((value >>> i) & 1) !== 0;

/** Mode, count, bytes, terminator and pad codewords, split into blocks with their EC, interleaved. */
export function codewords(bytes: Uint8Array, version: number): number[] {
  const { blocks, ecPerBlock } = spec(version);
  const bits: number[] = [];
  const push = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  push(0b0100, 4);
  push(bytes.length, countBits(version));
  for (const b of bytes) push(b, 8);
  const capacity = dataCodewords(version) * 8;
  if (bits.length > capacity) throw new RangeError(`${bytes.length} bytes do not fit version ${version}`);
  push(0, Math.min(4, capacity - bits.length));
  push(0, (8 - (bits.length % 8)) % 8);
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) data.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  for (let pad = 0xec; data.length < capacity / 8; pad ^= 0xec ^ 0x11) data.push(pad);

  const dataBlocks: number[][] = [];
  let offset = 0;
  for (const length of blocks) {
    dataBlocks.push(data.slice(offset, offset + length));
    offset += length;
  }
  const ecBlocks = dataBlocks.map((block) => reedSolomon(block, ecPerBlock));
  const out: number[] = [];
  const longest = Math.max(...blocks);
  for (let i = 0; i < longest; i++)
    for (const block of dataBlocks) if (i < block.length) out.push(block[i] ?? 0);
  for (let i = 0; i < ecPerBlock; i++) for (const block of ecBlocks) out.push(block[i] ?? 0);
  return out;
}

const MASKS: ((x: number, y: number) => boolean)[] = [
  (x, y) => (x + y) % 2 === 0,
  (_x, y) => y % 2 === 0,
  (x) => x % 3 === 0,
  (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x, y) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x, y) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x, y) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];

class Grid {
  readonly modules: boolean[][];
  readonly reserved: boolean[][];

  constructor(readonly size: number) {
    this.modules = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
    this.reserved = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  }

  get(x: number, y: number): boolean {
    return this.modules[y]?.[x] ?? false;
  }

  set(x: number, y: number, dark: boolean): void {
    const row = this.modules[y];
    if (row && x >= 0 && x < this.size) row[x] = dark;
  }

  fixed(x: number, y: number, dark: boolean): void {
    if (x < 0 || y < 0 || x >= this.size || y >= this.size) return;
    this.set(x, y, dark);
    const row = this.reserved[y];
    if (row) row[x] = true;
  }

  isReserved(x: number, y: number): boolean {
    return this.reserved[y]?.[x] ?? false;
  }
}

function drawFunctionPatterns(grid: Grid, version: number): void {
  const { size } = grid;
  for (let i = 0; i < size; i++) {
    grid.fixed(6, i, i % 2 === 0);
    grid.fixed(i, 6, i % 2 === 0);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++)
      for (let dx = -4; dx <= 4; dx++) {
        const dist = Math.max(Math.abs(dx), Math.abs(dy));
        grid.fixed(cx + dx, cy + dy, dist !== 2 && dist !== 4);
      }
  }
  const align = spec(version).align;
  const last = align.length - 1;
  align.forEach((cy, i) =>
    align.forEach((cx, j) => {
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) return;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++)
          grid.fixed(cx + dx, cy + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1);
    }),
  );
  drawFormat(grid, 0);
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      grid.fixed(a, b, bit(bits, i));
      grid.fixed(b, a, bit(bits, i));
    }
  }
}

function drawFormat(grid: Grid, mask: number): void {
  const bits = formatBits(mask);
  const { size } = grid;
  for (let i = 0; i <= 5; i++) grid.fixed(8, i, bit(bits, i));
  grid.fixed(8, 7, bit(bits, 6));
  grid.fixed(8, 8, bit(bits, 7));
  grid.fixed(7, 8, bit(bits, 8));
  for (let i = 9; i < 15; i++) grid.fixed(14 - i, 8, bit(bits, i));
  for (let i = 0; i < 8; i++) grid.fixed(size - 1 - i, 8, bit(bits, i));
  for (let i = 8; i < 15; i++) grid.fixed(8, size - 15 + i, bit(bits, i));
  grid.fixed(8, size - 8, true);
}

/** Places the codeword bits in the zig-zag column pairs, skipping function modules. */
function drawCodewords(grid: Grid, data: readonly number[]): void {
  const { size } = grid;
  let i = 0;
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++)
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const upward = ((right + 1) & 2) === 0;
        const y = upward ? size - 1 - vert : vert;
        if (grid.isReserved(x, y) || i >= data.length * 8) continue;
        grid.set(x, y, bit(data[i >>> 3] ?? 0, 7 - (i & 7)));
        i++;
      }
  }
}

function applyMask(grid: Grid, mask: number): void {
  const test = MASKS[mask];
  if (!test) throw new RangeError(`no mask ${mask}`);
  for (let y = 0; y < grid.size; y++)
    for (let x = 0; x < grid.size; x++)
      if (!grid.isReserved(x, y) && test(x, y)) grid.set(x, y, !grid.get(x, y));
}

/** The standard's four penalty rules; the mask with the lowest score is used. */
export function penalty(grid: { size: number; get(x: number, y: number): boolean }): number {
  const { size } = grid;
  let score = 0;
  let dark = 0;
  const finderLike = [true, false, true, true, true, false, true];
  for (let pass = 0; pass < 2; pass++) {
    const at = (a: number, b: number) => (pass === 0 ? grid.get(b, a) : grid.get(a, b));
    for (let a = 0; a < size; a++) {
      let run = 1;
      for (let b = 1; b <= size; b++) {
        if (b < size && at(a, b) === at(a, b - 1)) run++;
        else {
          if (run >= 5) score += 3 + (run - 5);
          run = 1;
        }
      }
      for (let b = 0; b + 7 <= size; b++) {
        if (!finderLike.every((v, k) => at(a, b + k) === v)) continue;
        const lightBefore = [1, 2, 3, 4].every((k) => b - k < 0 || !at(a, b - k));
        const lightAfter = [0, 1, 2, 3].every((k) => b + 7 + k >= size || !at(a, b + 7 + k));
        if (lightBefore) score += 40;
        if (lightAfter) score += 40;
      }
    }
  }
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const c = grid.get(x, y);
      if (c) dark++;
      if (
        x + 1 < size &&
        y + 1 < size &&
        grid.get(x + 1, y) === c &&
        grid.get(x, y + 1) === c &&
        grid.get(x + 1, y + 1) === c
      )
        score += 3;
    }
  const total = size * size;
  score += 10 * Math.max(0, Math.ceil(Math.abs(dark * 20 - total * 10) / total) - 1);
  return score;
}

/** The smallest version 1–10 that holds the text (UTF-8) at level M. */
export function encodeQr(text: string): QrCode {
  const bytes = new TextEncoder().encode(text);
  let version = 1;
  while (version <= MAX_VERSION && byteCapacity(version) < bytes.length) version++;
  if (version > MAX_VERSION)
    throw new RangeError(`${bytes.length} bytes are too many for a QR code up to version ${MAX_VERSION}`);
  const data = codewords(bytes, version);
  const size = version * 4 + 17;
  let best: { grid: Grid; mask: number; score: number } | undefined;
  for (let mask = 0; mask < MASKS.length; mask++) {
    const grid = new Grid(size);
    drawFunctionPatterns(grid, version);
    drawCodewords(grid, data);
    applyMask(grid, mask);
    drawFormat(grid, mask);
    const score = penalty(grid);
    if (!best || score < best.score) best = { grid, mask, score };
  }
  if (!best) throw new Error('no mask evaluated');
  return { version, size, mask: best.mask, modules: best.grid.modules };
}
