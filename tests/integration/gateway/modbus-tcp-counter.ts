import { type Server, type Socket, connect, createServer } from 'node:net';

/**
 * A Modbus TCP pass-through that counts requests per unit id on the wire: an independent witness of how
 * many reads a master really sent, whatever the master itself reports.
 */
export class ModbusTcpCounter {
  readonly requests = new Map<number, number>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  get total(): number {
    return [...this.requests.values()].reduce((a, b) => a + b, 0);
  }

  async start(): Promise<number> {
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('counter has no TCP port');
    return address.port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    let buffer = Buffer.alloc(0);
    client.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 7 && buffer.length >= 6 + buffer.readUInt16BE(4)) {
        const unit = buffer[6] ?? 0;
        this.requests.set(unit, (this.requests.get(unit) ?? 0) + 1);
        buffer = buffer.subarray(6 + buffer.readUInt16BE(4));
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  }
}
