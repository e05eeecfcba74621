import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A port the kernel just handed out on loopback; another process could still take it before we bind. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: listen gave no TCP address'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** A fresh directory under os.tmpdir(); servers remove theirs in stop(). */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix.endsWith('-') ? prefix : `${prefix}-`));
}
