import type { Duplex } from 'node:stream';

/**
 * mqtt-packet corks a connection for each packet it writes and uncorks it on the next tick, so a burst of
 * packets to one client (an emergency's acks forwarded to the console, a PUBACK per message) costs one
 * `writev` each. Deferring the uncork to the end of the event-loop turn sends what the turn wrote in one.
 * Closing the connection sends what is held first: a refusing CONNACK is written just before the close.
 */
export function coalesceWrites(conn: Duplex): void {
  const uncork = conn.uncork.bind(conn);
  let owed = 0;
  const release = () => {
    const n = owed;
    owed = 0;
    for (let i = 0; i < n; i++) uncork();
  };
  conn.uncork = () => {
    if (owed++ === 0) setImmediate(release);
  };
  const end = conn.end.bind(conn) as (...args: unknown[]) => Duplex;
  conn.end = ((...args: unknown[]) => {
    release();
    return end(...args);
  }) as Duplex['end'];
  const destroy = conn.destroy.bind(conn);
  conn.destroy = (error?: Error) => {
    release();
    return destroy(error);
  };
}
