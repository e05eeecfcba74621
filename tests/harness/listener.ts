import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

/** Inodes of the IPv4/IPv6 sockets listening on `port`, from /proc/net; null where /proc cannot say. */
function listeningInodes(port: number): Set<string> | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  let readAny = false;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    readAny = true;
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [local, state, inode] = [cols[1], cols[3], cols[9]];
      if (local?.endsWith(`:${hexPort}`) && state === LISTEN && inode !== undefined) inodes.add(inode);
    }
  }
  return readAny ? inodes : null;
}

/**
 * Who listens on `port`: 'child' when a listening socket there is one of `pid`'s, 'other' when only another
 * process's is, 'none' when nobody listens yet, 'unknown' without /proc. A server that lost the port to
 * another process must not count as ready just because something answers on it.
 */
export function listenerOf(port: number, pid: number): 'child' | 'other' | 'none' | 'unknown' {
  const inodes = listeningInodes(port);
  if (inodes === null) return 'unknown';
  if (inodes.size === 0) return 'none';
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return 'unknown';
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match?.[1] !== undefined && inodes.has(match[1])) return 'child';
    } catch {
      // The fd closed while we looked.
    }
  }
  return 'other';
}
