import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type DeviceConfig, DeviceConfigSchema } from '@xaso/device-profiles/contract';

/** The last accepted remote config, kept in the data dir so it survives a restart without the broker. */
export class AppliedConfigFile {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'remote-config.json');
  }

  /** The stored config, or undefined when none was ever accepted (a damaged file is reported, not ignored). */
  read(): DeviceConfig | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = DeviceConfigSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`${this.file}: stored remote config is invalid: ${parsed.error.message}`);
    return parsed.data;
  }

  /** Write, fsync, rename: a power cut leaves the old file or the new one, never half of one. */
  write(config: DeviceConfig): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(config));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
