import type { Counter } from 'prom-client';

interface Writable {
  bytesWritten: number;
}

/** Feeds socket `bytesWritten` into a counter: deltas at each scrape and the remainder when a socket closes. */
export class BytesOutMeter {
  private readonly seen = new Map<Writable, number>();

  constructor(private readonly counter: Counter) {}

  track(socket: Writable & { once(event: 'close', fn: () => void): unknown }): void {
    this.seen.set(socket, 0);
    socket.once('close', () => {
      this.flush(socket);
      this.seen.delete(socket);
    });
  }

  flushAll(): void {
    for (const socket of this.seen.keys()) this.flush(socket);
  }

  private flush(socket: Writable): void {
    const before = this.seen.get(socket) ?? 0;
    const delta = socket.bytesWritten - before;
    if (delta > 0) this.counter.inc(delta);
    this.seen.set(socket, socket.bytesWritten);
  }
}
