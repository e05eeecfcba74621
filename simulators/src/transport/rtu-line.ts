import { SerialPort } from 'serialport';
import type { SimulatedDevice } from '../device.js';
import { type Logger, silentLogger } from '../logger.js';
import { withCrc } from '../modbus/crc16.js';
import { DeviceBus } from '../modbus/device-bus.js';
import { RtuRequestParser } from '../modbus/rtu-frame-parser.js';

export interface RtuLineOptions {
  /** Serial device or pty path the slaves listen on. */
  path: string;
  /** Several devices share one RS485 line, told apart by unit id. */
  devices: readonly SimulatedDevice[];
  baudRate?: number;
  logger?: Logger;
}

/** 3.5 character times of 11 bits at the line speed, but at least 2 ms: timers are not finer than that. */
export function interFrameGapMs(baudRate: number): number {
  return Math.max(2, Math.ceil(((3.5 * 11) / baudRate) * 1000));
}

/** Modbus RTU slaves on one serial line (real port or pty): frame parsing, CRC, frame faults, unplugging. */
export class RtuLine {
  readonly bus: DeviceBus;
  readonly path: string;
  readonly baudRate: number;
  private port: SerialPort | undefined;
  private readonly parser = new RtuRequestParser();
  private silenceTimer: NodeJS.Timeout | undefined;
  private readonly log: Logger;

  constructor(options: RtuLineOptions) {
    this.bus = new DeviceBus(options.devices, 'silent');
    this.path = options.path;
    const first = options.devices[0]?.profile.transport;
    this.baudRate = options.baudRate ?? (first?.type === 'rtu' ? first.baudRate : 9600);
    this.log = options.logger ?? silentLogger();
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.port) return;
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((err) =>
        err
          ? reject(new Error(`serial port ${this.path}: ${err.message.replace(/^Error: /, '')}`))
          : resolve(),
      ),
    );
    port.on('data', (chunk: Buffer) => this.receive(chunk));
    port.on('error', (err) => this.log.error({ err, path: this.path }, 'serial port error'));
    port.on('close', () => {
      if (this.port === port)
        this.log.warn({ path: this.path }, 'serial port closed by the system; replug() reopens it');
    });
    this.port = port;
    this.log.info(
      { path: this.path, baudRate: this.baudRate, units: this.bus.devices.map((d) => d.unitId) },
      'Modbus RTU line open',
    );
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.port = undefined;
    clearTimeout(this.silenceTimer);
    this.parser.silence();
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Simulated unplug: the slaves vanish from the line until replug(). */
  async unplug(): Promise<void> {
    this.log.warn({ path: this.path }, 'simulated unplug');
    await this.close();
  }

  async replug(): Promise<void> {
    await this.open();
  }

  private receive(chunk: Buffer): void {
    for (const request of this.parser.push(chunk)) this.serve(request.unitId, request.pdu);
    clearTimeout(this.silenceTimer);
    if (this.parser.pending > 0) {
      this.silenceTimer = setTimeout(() => {
        for (const request of this.parser.silence()) this.serve(request.unitId, request.pdu);
      }, interFrameGapMs(this.baudRate));
    }
  }

  private serve(unitId: number, pdu: Buffer): void {
    const reply = this.bus.answer(unitId, pdu);
    if (reply.kind === 'silent') {
      this.log.debug({ unitId, reason: reply.reason }, 'no reply');
      return;
    }
    const frame = withCrc(Buffer.concat([Buffer.from([unitId]), reply.pdu]));
    if (reply.garble) frame[frame.length - 1] = (frame[frame.length - 1] ?? 0) ^ 0xff;
    this.port?.write(frame);
  }
}
