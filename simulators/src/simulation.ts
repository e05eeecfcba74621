import type { SimulatedDevice } from './device.js';
import { type Logger, silentLogger } from './logger.js';
import { type PtyPair, createPtyPair } from './transport/pty-pair.js';
import { RtuLine } from './transport/rtu-line.js';
import { ModbusTcpServer } from './transport/tcp-server.js';

export interface SimulationOptions {
  devices: readonly SimulatedDevice[];
  /** Serve over Modbus TCP (port 0 = a free port). */
  tcp?: { host?: string; port?: number };
  /** Serve over Modbus RTU on an existing serial/pty path, or on a socat pty pair created here. */
  rtu?: { path: string; baudRate?: number } | { pty: true; baudRate?: number };
  logger?: Logger;
}

/** Where one simulated device can be reached. */
export interface Listener {
  device: SimulatedDevice;
  transport: 'tcp' | 'rtu';
  /** modbus-tcp://host:port, or modbus-rtu:<path> — the path a master opens. */
  address: string;
  baudRate?: number;
}

/** A set of simulated devices on TCP and/or one RTU line, started and stopped together. */
export class Simulation {
  tcp: ModbusTcpServer | undefined;
  rtu: RtuLine | undefined;
  pty: PtyPair | undefined;
  private readonly log: Logger;

  constructor(private readonly options: SimulationOptions) {
    if (!options.tcp && !options.rtu) throw new Error('a simulation needs a TCP port or an RTU line');
    this.log = options.logger ?? silentLogger();
  }

  async start(): Promise<Listener[]> {
    const { devices, tcp, rtu } = this.options;
    const listeners: Listener[] = [];
    try {
      if (tcp) {
        this.tcp = new ModbusTcpServer({ devices, host: tcp.host, port: tcp.port, logger: this.log });
        await this.tcp.start();
        const url = this.tcp.url;
        for (const device of devices) listeners.push({ device, transport: 'tcp', address: url });
      }
      if (rtu) {
        let path: string;
        let masterPath: string;
        if ('pty' in rtu) {
          this.pty = await createPtyPair();
          path = this.pty.slave;
          masterPath = this.pty.master;
        } else {
          path = rtu.path;
          masterPath = rtu.path;
        }
        this.rtu = new RtuLine({ path, devices, baudRate: rtu.baudRate, logger: this.log });
        await this.rtu.open();
        for (const device of devices) {
          listeners.push({
            device,
            transport: 'rtu',
            address: `modbus-rtu:${masterPath}`,
            baudRate: this.rtu.baudRate,
          });
        }
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    return listeners;
  }

  async stop(): Promise<void> {
    await this.tcp?.stop();
    await this.rtu?.close();
    await this.pty?.stop();
    this.tcp = undefined;
    this.rtu = undefined;
    this.pty = undefined;
  }
}

/** One human-readable line per device, e.g. "pm-sensor-rs485 unit 1 on modbus-tcp://127.0.0.1:5020". */
export function describeListener(listener: Listener): string {
  const { device } = listener;
  const baud = listener.baudRate ? ` at ${listener.baudRate} baud` : '';
  return `${device.profile.name} unit ${device.unitId} on ${listener.address}${baud}`;
}
