import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** Random access to the bytes of an upload; parsers walk headers without loading the whole file. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file, empty past it). */
  read(offset: number, length: number): Promise<Buffer>;
}

export function bufferSource(buffer: Buffer): ByteSource {
  return {
    size: buffer.length,
    read: async (offset, length) => buffer.subarray(offset, Math.min(buffer.length, offset + length)),
  };
}

const BLOCK = 256 * 1024;

/** A file read through one cached block, which suits the mostly sequential walks of the parsers. */
export class FileSource implements ByteSource {
  private blockStart = -1;
  private block = Buffer.alloc(0);

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const handle = await open(path, 'r');
    const stat = await handle.stat();
    return new FileSource(handle, stat.size);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(this.size, offset + length);
    if (offset >= end) return Buffer.alloc(0);
    if (offset >= this.blockStart && end <= this.blockStart + this.block.length) {
      return this.block.subarray(offset - this.blockStart, end - this.blockStart);
    }
    if (end - offset > BLOCK) {
      const out = Buffer.alloc(end - offset);
      await this.handle.read(out, 0, out.length, offset);
      return out;
    }
    const block = Buffer.alloc(Math.min(BLOCK, this.size - offset));
    const { bytesRead } = await this.handle.read(block, 0, block.length, offset);
    this.block = block.subarray(0, bytesRead);
    this.blockStart = offset;
    return this.block.subarray(0, end - offset);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
