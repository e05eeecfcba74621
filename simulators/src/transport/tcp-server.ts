import { type Server, type Socket, createServer } from 'node:net';
import type { SimulatedDevice } from '../device.js';
import { type Logger, silentLogger } from '../logger.js';
import { DeviceBus } from '../modbus/device-bus.js';

export interface ModbusTcpServerOptions {
  devices: readonly SimulatedDevice[];
  host?: string;
  /** 0 picks a free port; read it from `port` after start(). */
  port?: number;
  logger?: Logger;
}

const MBAP_LENGTH = 7;

/**
 * Modbus TCP slave for simulated devices. Our own (not modbus-serial's ServerTCP) because faults act on
 * whole frames: a garbled reply is cut off after its header, which ServerTCP offers no hook for.
 */
export class ModbusTcpServer {
  readonly bus: DeviceBus;
  readonly host: string;
  private requestedPort: number;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly log: Logger;

  constructor(options: ModbusTcpServerOptions) {
    this.bus = new DeviceBus(options.devices, 'gateway-exception');
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port ?? 0;
    this.log = options.logger ?? silentLogger();
  }

  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('Modbus TCP server is not listening');
    return address.port;
  }

  get url(): string {
    return `modbus-tcp://${this.host}:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.requestedPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.log.error({ err }, 'Modbus TCP server error'));
    this.server = server;
    this.requestedPort = this.port;
    this.log.info({ url: this.url, units: this.bus.devices.map((d) => d.unitId) }, 'Modbus TCP listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', (err) => this.log.debug({ err }, 'Modbus TCP socket error'));
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= MBAP_LENGTH) {
        const protocol = buffer.readUInt16BE(2);
        const length = buffer.readUInt16BE(4);
        if (protocol !== 0 || length < 2 || length > 254) {
          this.log.warn(
            { protocol, length, remote: socket.remoteAddress },
            'not a Modbus TCP frame; closing the connection',
          );
          socket.destroy();
          return;
        }
        if (buffer.length < 6 + length) break;
        const frame = buffer.subarray(0, 6 + length);
        buffer = buffer.subarray(6 + length);
        this.handle(socket, frame);
      }
    });
  }

  private handle(socket: Socket, frame: Buffer): void {
    const transactionId = frame.readUInt16BE(0);
    const unitId = frame[6] ?? 0;
    const reply = this.bus.answer(unitId, frame.subarray(MBAP_LENGTH));
    if (reply.kind === 'silent') {
      this.log.debug({ unitId, reason: reply.reason }, 'no reply');
      return;
    }
    // A garbled reply keeps a consistent header but loses half its data, as when a link cuts a frame short.
    const pdu = reply.garble ? reply.pdu.subarray(0, Math.max(1, reply.pdu.length >> 1)) : reply.pdu;
    const out = Buffer.alloc(MBAP_LENGTH + pdu.length);
    out.writeUInt16BE(transactionId, 0);
    out.writeUInt16BE(0, 2);
    out.writeUInt16BE(pdu.length + 1, 4);
    out[6] = unitId;
    pdu.copy(out, MBAP_LENGTH);
    socket.write(out);
  }
}
