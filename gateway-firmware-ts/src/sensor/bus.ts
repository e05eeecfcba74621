import { EventEmitter } from 'node:events';
import type { Link } from '@xaso/device-profiles/contract';
import ModbusSerial from 'modbus-serial';
import type { Logger } from 'pino';
import type { PortState } from '../core/role.js';
import { ModbusFailure, classifyFailure } from './modbus-failure.js';
import type { PlannedRead } from './read-planner.js';

export interface SerialSettings {
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
}

/** A single write: FC5 switches one coil, FC6 sets one holding register (a raw 16-bit word). */
export type PlannedWrite =
  | { fc: 5; address: number; value: boolean }
  | { fc: 6; address: number; value: number };

export interface BusOptions {
  link: Link;
  serial: SerialSettings;
  reopenBaseMs: number;
  reopenMaxMs: number;
}

const CLOSE_WAIT_MS = 2000;

/** modbus-serial is CommonJS with `export default` typings: under NodeNext the class sits on `.default`. */
const ModbusRTU = ModbusSerial.default;
type Client = InstanceType<typeof ModbusRTU>;

/** The key that makes devices share a bus: the serial path, or host:port for Modbus TCP. */
export function busKey(link: Link): string {
  return link.type === 'rtu' ? `rtu:${link.path}` : `tcp:${link.host}:${link.port}`;
}

/**
 * One RS485 line or one Modbus TCP endpoint. Requests run strictly one at a time (a bus is a shared medium);
 * a lost port (USB adapter unplugged, TCP peer gone) is reopened with back-off on the next request.
 */
export class Bus {
  readonly key: string;
  private client: Client | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private portState: PortState = 'closed';
  private openFailures = 0;
  private nextOpenAt = 0;
  private lastOpenError = '';
  private requests = 0;
  private closed = false;

  constructor(
    private readonly options: BusOptions,
    private readonly log: Logger,
  ) {
    this.key = busKey(options.link);
  }

  get state(): PortState {
    return this.portState;
  }

  /** Requests put on the wire since start (tests and benchmarks count them). */
  get requestCount(): number {
    return this.requests;
  }

  /** Queues one read; it starts when every earlier request on this bus has finished. */
  read(
    unitId: number,
    timeoutMs: number,
    read: PlannedRead,
  ): Promise<readonly number[] | readonly boolean[]> {
    return this.enqueue(unitId, timeoutMs, (client) => this.issue(client, read));
  }

  /** Queues one write (FC5 coil, FC6 holding register) in the same line as the reads. */
  write(unitId: number, timeoutMs: number, write: PlannedWrite): Promise<void> {
    return this.enqueue(unitId, timeoutMs, async (client) => {
      if (write.fc === 5) await client.writeCoil(write.address, write.value);
      else await client.writeRegister(write.address, write.value);
    });
  }

  private enqueue<T>(unitId: number, timeoutMs: number, request: (client: Client) => Promise<T>): Promise<T> {
    const run = async () => {
      const client = await this.ensureOpen();
      client.setID(unitId);
      client.setTimeout(timeoutMs);
      this.requests += 1;
      try {
        return await request(client);
      } catch (err) {
        let failure = classifyFailure(err);
        // The port died under the request (EIO, peer reset): the reply can never come, so say why.
        if (failure.code === 'timeout' && !client.isOpen)
          failure = new ModbusFailure(
            'disconnected',
            `${this.key} lost during the request (${failure.message})`,
          );
        if (failure.code === 'disconnected') this.markLost(client, failure.message);
        throw failure;
      }
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Waits for the request on the wire, then closes the port. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    const client = this.client;
    this.client = undefined;
    this.portState = 'closed';
    if (!client?.isOpen) return;
    // modbus-serial's TCP close waits for the peer's FIN; a peer that never sends it must not hang a stop.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => client.close(() => resolve())),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  private async issue(client: Client, read: PlannedRead): Promise<readonly number[] | readonly boolean[]> {
    switch (read.fc) {
      case 1:
        return (await client.readCoils(read.address, read.count)).data.slice(0, read.count);
      case 2:
        return (await client.readDiscreteInputs(read.address, read.count)).data.slice(0, read.count);
      case 3:
        return (await client.readHoldingRegisters(read.address, read.count)).data;
      case 4:
        return (await client.readInputRegisters(read.address, read.count)).data;
    }
  }

  private async ensureOpen(): Promise<Client> {
    if (this.closed) throw new ModbusFailure('disconnected', `${this.key} is closed`);
    if (this.client?.isOpen) return this.client;
    if (Date.now() < this.nextOpenAt) {
      throw new ModbusFailure(
        'disconnected',
        `${this.key} not open (${this.lastOpenError}); next attempt soon`,
      );
    }
    const client = new ModbusRTU();
    // Listen before the port exists: serialport and modbus-serial emit 'error' (EIO on an unplugged adapter,
    // a failed write after close) at any stage, and one unheard 'error' event ends the whole process.
    client.on('error', (err: unknown) => this.onPortError(client, err));
    client.on('close', () => this.onPortClose(client));
    try {
      const link = this.options.link;
      const opening =
        link.type === 'rtu'
          ? client.connectRTUBuffered(link.path, { ...this.options.serial })
          : client.connectTCP(link.host, { port: link.port });
      this.guardPort(client);
      await opening;
    } catch (err) {
      this.openFailures += 1;
      const delay = Math.min(
        this.options.reopenMaxMs,
        this.options.reopenBaseMs * 2 ** (this.openFailures - 1),
      );
      this.nextOpenAt = Date.now() + delay;
      this.lastOpenError = err instanceof Error ? err.message : String(err);
      this.portState = 'error';
      if (this.openFailures === 1)
        this.log.warn({ bus: this.key, err: this.lastOpenError }, 'cannot open bus');
      if (client.isOpen) client.close(() => undefined);
      throw new ModbusFailure('disconnected', `${this.key}: ${this.lastOpenError}`);
    }
    if (this.openFailures > 0) this.log.info({ bus: this.key }, 'bus reopened');
    this.openFailures = 0;
    this.client = client;
    this.portState = 'open';
    return client;
  }

  /**
   * modbus-serial relays the port's errors only while the port is open (its close() unhooks them), so the
   * port object itself keeps a listener for its whole life.
   */
  private guardPort(client: Client): void {
    const port: unknown = Reflect.get(client, '_port');
    if (port instanceof EventEmitter) port.on('error', (err: unknown) => this.onPortError(client, err));
  }

  private onPortError(client: Client, err: unknown): void {
    const reason = err instanceof Error ? err.message : String(err);
    this.log.debug({ bus: this.key, err: reason }, 'bus error');
    if (this.client === client) this.markLost(client, reason);
  }

  private onPortClose(client: Client): void {
    if (this.client !== client) return;
    // Closed under us (adapter gone, TCP peer closed): the next request reopens it.
    this.client = undefined;
    this.portState = 'closed';
  }

  private markLost(client: Client, reason: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.portState = 'closed';
    this.lastOpenError = reason;
    if (client.isOpen) client.close(() => undefined);
  }
}
