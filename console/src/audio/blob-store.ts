import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const WRITE_BATCH_BYTES = 256 * 1024;

/** A file being received: hashed as it is written, so the content address is known when it ends. */
export class IncomingFile {
  private readonly hash = createHash('sha256');
  private written = 0;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;

  constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  get bytes(): number {
    return this.written;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.written += chunk.length;
    this.buffered.push(Buffer.from(chunk));
    this.bufferedBytes += chunk.length;
    if (this.bufferedBytes >= WRITE_BATCH_BYTES) await this.flush();
  }

  /** Flushes to disk before anyone may rename it into the store. */
  async finish(): Promise<{ path: string; sha256: string; bytes: number }> {
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
    return { path: this.path, sha256: this.hash.digest('hex'), bytes: this.written };
  }

  // Network chunks can be tiny; one write per chunk would cost a syscall each.
  private async flush(): Promise<void> {
    if (this.bufferedBytes === 0) return;
    const data = Buffer.concat(this.buffered);
    this.buffered = [];
    this.bufferedBytes = 0;
    await this.handle.write(data);
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }
}

/** Audio files under `<dataDir>/audio/<sha256>`: written to a temp name, fsynced, then renamed into place. */
export class AudioBlobStore {
  readonly dir: string;
  private readonly incomingDir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'audio');
    this.incomingDir = join(this.dir, 'incoming');
  }

  async init(): Promise<void> {
    await mkdir(this.incomingDir, { recursive: true });
    // Leftovers of uploads interrupted by a crash.
    await rm(this.incomingDir, { recursive: true, force: true });
    await mkdir(this.incomingDir, { recursive: true });
  }

  /** A fresh temp path in the store's file system, so the final rename is atomic. */
  tempPath(suffix = ''): string {
    return join(this.incomingDir, `${randomUUID()}${suffix}`);
  }

  async createIncoming(): Promise<IncomingFile> {
    const path = this.tempPath();
    return new IncomingFile(path, await open(path, 'wx', 0o640));
  }

  path(sha256: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.dir, sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.path(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** Moves a finished temp file into place; an identical file already there wins (dedupe). */
  async commit(tempPath: string, sha256: string): Promise<void> {
    if (await this.has(sha256)) {
      await rm(tempPath, { force: true });
      return;
    }
    await rename(tempPath, this.path(sha256));
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }

  async discard(tempPath: string): Promise<void> {
    await rm(tempPath, { force: true });
  }
}

/** SHA-256 and size of a file on disk (for files ffmpeg wrote). */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    const data = chunk as Buffer;
    hash.update(data);
    bytes += data.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
