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

export interface BusOptions {
  link: Link;
  serial: SerialSettings;
  reopenBaseMs: number;
  reopenMaxMs: number;
}

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
    const run = async () => {
      const client = await this.ensureOpen();
      client.setID(unitId);
      client.setTimeout(timeoutMs);
      this.requests += 1;
      try {
        const result = await this.issue(client, read);
        return result;
      } catch (err) {
        const failure = classifyFailure(err);
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
    if (client?.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
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
    try {
      const link = this.options.link;
      if (link.type === 'rtu') await client.connectRTUBuffered(link.path, { ...this.options.serial });
      else await client.connectTCP(link.host, { port: link.port });
    } catch (err) {
      this.openFailures += 1;
      const delay = Math.min(
        this.options.reopenMaxMs,
        this.options.reopenBaseMs * 2 ** (this.openFailures - 1),
      );
      this.nextOpenAt = Date.now() + delay;
      this.lastOpenError = (err as Error).message ?? String(err);
      this.portState = 'error';
      if (this.openFailures === 1)
        this.log.warn({ bus: this.key, err: this.lastOpenError }, 'cannot open bus');
      throw new ModbusFailure('disconnected', `${this.key}: ${this.lastOpenError}`);
    }
    client.on('error', (err: unknown) => this.log.debug({ bus: this.key, err: String(err) }, 'bus error'));
    client.on('close', () => {
      if (this.client === client) this.portState = 'closed';
    });
    if (this.openFailures > 0) this.log.info({ bus: this.key }, 'bus reopened');
    this.openFailures = 0;
    this.client = client;
    this.portState = 'open';
    return client;
  }

  private markLost(client: Client, reason: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.portState = 'closed';
    this.lastOpenError = reason;
    if (client.isOpen) client.close(() => undefined);
  }
}
