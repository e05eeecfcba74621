import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import type { Aedes, Client } from 'aedes';
import type { Logger } from 'pino';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { BrokerConfig } from '../config/schema.js';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import { BytesOutMeter } from '../metrics/bytes-out.js';
import { guardPacketSize } from './packet-size-guard.js';
import { coalesceWrites } from './write-coalescing.js';

export interface Listener {
  name: 'mqtt' | 'mqtts' | 'ws';
  port: number;
  close(): Promise<void>;
}

/** Everything a connection needs before aedes takes it over: its peer address, size guard, byte meters. */
export class ConnectionIntake {
  private readonly addresses = new WeakMap<Duplex, string>();
  private readonly live = new Set<Client>();
  private refusing = false;
  readonly bytesOut: BytesOutMeter;

  constructor(
    private readonly broker: Aedes,
    private readonly config: BrokerConfig,
    private readonly metrics: BrokerMetrics,
  ) {
    this.bytesOut = new BytesOutMeter(metrics.bytesOut);
  }

  addressOf(conn: Duplex): string {
    return this.addresses.get(conn) ?? 'unknown';
  }

  accept(conn: Duplex, remote: string | undefined, meter: Socket | undefined, req?: IncomingMessage): void {
    if (this.refusing) {
      conn.destroy();
      return;
    }
    this.addresses.set(conn, remote ?? 'unknown');
    if (meter) this.bytesOut.track(meter);
    guardPacketSize(conn, this.config.limits.maxPacketSize, (n) => this.metrics.bytesIn.inc(n));
    if (this.config.mqtt.coalesceWrites) coalesceWrites(conn);
    const client = this.broker.handle(conn, req);
    this.live.add(client);
    conn.once('close', () => this.live.delete(client));
  }

  /** Shutdown: drop every new connection at once and those still in the middle of CONNECT. */
  refuseNew(): void {
    this.refusing = true;
    for (const client of this.live) if (!client.connected) client.conn.destroy();
  }

  /** Shutdown, last step: whatever connection is still open holds up the listeners' close. */
  destroyAll(): number {
    const left = this.live.size;
    for (const client of this.live) client.conn.destroy();
    return left;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startListeners(
  intake: ConnectionIntake,
  config: BrokerConfig,
  log: Logger,
): Promise<Listener[]> {
  const listeners: Listener[] = [];
  // Nagle would hold a small PUBLISH or PUBACK until the previous segment is acknowledged: tens of ms per hop.
  const tcp = createNetServer({ noDelay: true }, (socket) =>
    intake.accept(socket, socket.remoteAddress, socket),
  );
  const tcpPort = await listen(tcp, config.mqtt.port, config.host);
  listeners.push({ name: 'mqtt', port: tcpPort, close: () => closeServer(tcp) });

  if (config.tls) {
    const tls = createTlsServer(
      { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) },
      (socket) => intake.accept(socket, socket.remoteAddress, socket),
    );
    tls.on('tlsClientError', (err, socket) =>
      log.warn({ remote: socket.remoteAddress, err: err.message }, 'TLS handshake failed'),
    );
    const port = await listen(tls, config.tls.port, config.host);
    listeners.push({ name: 'mqtts', port, close: () => closeServer(tls) });
  }

  if (config.ws) {
    const http = createHttpServer();
    const wss = new WebSocketServer({
      server: http,
      path: config.ws.path,
      maxPayload: config.limits.maxPacketSize + 5,
    });
    wss.on('connection', (ws, req) => {
      const stream = createWebSocketStream(ws);
      stream.on('error', (err) => log.debug({ err: err.message }, 'websocket stream error'));
      intake.accept(stream, req.socket.remoteAddress, req.socket, req);
    });
    const port = await listen(http, config.ws.port, config.host);
    listeners.push({
      name: 'ws',
      port,
      close: async () => {
        for (const ws of wss.clients) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await closeServer(http);
      },
    });
  }
  return listeners;
}
