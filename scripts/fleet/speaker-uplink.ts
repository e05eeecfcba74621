import { type Server, type Socket, createConnection, createServer } from 'node:net';

/** How one cluster's 3G/4G link behaves: one-way delay plus random jitter, in ms. */
export interface UplinkProfile {
  latencyMs: number;
  jitterMs: number;
}

/**
 * A cluster's simulated mobile uplink: a TCP relay on loopback between its gateway and the broker that
 * delays every chunk (in order) and can be cut. While cut it drops live connections and refuses new ones,
 * as a dead cell does, so the gateway's own reconnect and disk queue are what get exercised.
 */
export class SimulatedUplink {
  private readonly pairs = new Set<{ inner: Socket; outer: Socket }>();
  private down = false;

  private constructor(
    private readonly server: Server,
    readonly profile: UplinkProfile,
    private readonly random: () => number,
  ) {}

  static async open(
    broker: { host: string; port: number },
    profile: UplinkProfile,
    random: () => number = Math.random,
  ): Promise<SimulatedUplink> {
    const server = createServer();
    const uplink = new SimulatedUplink(server, profile, random);
    server.on('connection', (inner) => uplink.accept(inner, broker));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return uplink;
  }

  /** Where the gateway connects instead of the broker. */
  get url(): string {
    const address = this.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return `mqtt://127.0.0.1:${port}`;
  }

  get isUp(): boolean {
    return !this.down;
  }

  /** The cell goes dark: connections drop at once and reconnects fail until restore(). */
  cut(): void {
    this.down = true;
    for (const pair of this.pairs) {
      pair.inner.destroy();
      pair.outer.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(inner: Socket, broker: { host: string; port: number }): void {
    if (this.down) {
      inner.destroy();
      return;
    }
    inner.setNoDelay(true);
    const outer = createConnection({ host: broker.host, port: broker.port });
    outer.setNoDelay(true);
    const pair = { inner, outer };
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      inner.destroy();
      outer.destroy();
    };
    for (const socket of [inner, outer]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    this.relay(inner, outer);
    this.relay(outer, inner);
  }

  /** Each chunk leaves after latency + jitter, never before the one ahead of it: TCP keeps order. */
  private relay(from: Socket, to: Socket): void {
    const queue: { due: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | undefined;
    let lastDue = 0;
    const flush = () => {
      timer = undefined;
      const now = Date.now();
      while (queue.length > 0 && (queue[0]?.due ?? 0) <= now) {
        const next = queue.shift();
        if (next && !to.destroyed) to.write(next.chunk);
      }
      const head = queue[0];
      if (head) timer = setTimeout(flush, head.due - now);
    };
    from.on('data', (chunk: Buffer) => {
      const { latencyMs, jitterMs } = this.profile;
      lastDue = Math.max(lastDue, Date.now() + latencyMs + this.random() * jitterMs);
      queue.push({ due: lastDue, chunk });
      if (timer === undefined) timer = setTimeout(flush, Math.max(0, lastDue - Date.now()));
    });
    from.on('close', () => {
      clearTimeout(timer);
      queue.length = 0;
    });
  }
}
