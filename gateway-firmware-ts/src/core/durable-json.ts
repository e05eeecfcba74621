import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { z } from 'zod';

/** One accepted document kept in the data dir so it survives a restart without the broker. */
export class DurableJsonFile<S extends z.ZodType> {
  constructor(
    readonly file: string,
    private readonly schema: S,
    private readonly what: string,
  ) {}

  /** The stored document, or undefined when none was ever written (a damaged file is reported, not ignored). */
  read(): z.output<S> | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = this.schema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`${this.file}: stored ${this.what} is invalid: ${parsed.error.message}`);
    return parsed.data;
  }

  /** Write, fsync, rename: a power cut leaves the old file or the new one, never half of one. */
  write(document: z.input<S>): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(document));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
