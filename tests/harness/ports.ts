import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Ports below the kernel's ephemeral range: no outgoing connection is ever given one of them. */
function quietRange(): { from: number; to: number } | null {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 12_000 ? { from: 10_000, to: low - 1 } : null;
  } catch {
    return null;
  }
}

const QUIET = quietRange();
const handedOut = new Set<number>();

function listenOn(port: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(null) : reject(err),
    );
    server.listen(port, '127.0.0.1', () => {
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

/**
 * A loopback port free right now, picked at random below the ephemeral range where the system allows it:
 * a port the kernel hands out for `listen(0)` can be taken by any outgoing connection (a reconnecting MQTT
 * client, a browser) before the test's server binds it. Another process could still take it; that is rare.
 */
export async function freePort(): Promise<number> {
  if (QUIET) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const candidate = QUIET.from + Math.floor(Math.random() * (QUIET.to - QUIET.from + 1));
      if (handedOut.has(candidate)) continue;
      const port = await listenOn(candidate);
      if (port !== null) {
        handedOut.add(port);
        return port;
      }
    }
  }
  const port = await listenOn(0);
  if (port === null) throw new Error('freePort: the kernel gave no free port');
  return port;
}

/** A fresh directory under os.tmpdir(); servers remove theirs in stop(). */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix.endsWith('-') ? prefix : `${prefix}-`));
}
