import {
  type Profile,
  type RegisterDef,
  decodeRegister,
  encodeRegister,
  getProfile,
  registerByName,
} from '@xaso/device-profiles';
import type { AttachedDevice } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { Bus } from '../../sensor/bus.js';
import { type PlannedRead, planReads, wordsFor } from '../../sensor/read-planner.js';
import type { Amplifier, AmplifierHealth } from '../ports.js';

export interface ModbusAmplifierOptions {
  /** The board, as attached in the gateway's devices (name, profile, unit id). */
  device: AttachedDevice;
  /** The bus of the board's line, shared with the sensor poller (see BusPool). */
  bus: Bus;
  timeoutMs?: number;
  /** How often door, fault, voltages, current and temperature are read for health(). */
  healthIntervalMs?: number;
}

type Point =
  | 'amplifierFault'
  | 'amplifierCurrent'
  | 'mainsVoltage'
  | 'batteryVoltage'
  | 'tamper'
  | 'temperature';
const HEALTH_FIELDS: Record<Point, keyof AmplifierHealth> = {
  amplifierFault: 'fault',
  amplifierCurrent: 'currentA',
  mainsVoltage: 'mainsV',
  batteryVoltage: 'batteryV',
  tamper: 'doorOpen',
  temperature: 'temperatureC',
};

/**
 * The cluster's controller board over Modbus, per its speaker-controller profile: relay coil (FC5), volume
 * holding register (FC6, encoded by the profile), and a periodic read of its health points.
 */
export class ModbusAmplifier implements Amplifier {
  private readonly profile: Profile;
  private readonly relay: RegisterDef;
  private readonly volume: RegisterDef | undefined;
  private readonly healthReads: PlannedRead[];
  private readonly fieldOf = new Map<string, keyof AmplifierHealth>();
  private readonly timeoutMs: number;
  private readonly intervalMs: number;
  private state: AmplifierHealth = { powered: false };
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private running = false;

  constructor(
    private readonly options: ModbusAmplifierOptions,
    private readonly log: Logger,
  ) {
    this.profile = getProfile(options.device.profile);
    const points = this.profile.capabilities.speaker;
    if (!points?.amplifierRelay)
      throw new Error(
        `profile ${this.profile.name} has no amplifier relay (capabilities.speaker.amplifierRelay)`,
      );
    this.relay = registerByName(this.profile, points.amplifierRelay);
    this.volume = points.volume ? registerByName(this.profile, points.volume) : undefined;
    const healthRegs: RegisterDef[] = [this.relay];
    for (const [point, field] of Object.entries(HEALTH_FIELDS)) {
      const name = points[point as Point];
      if (!name) continue;
      healthRegs.push(registerByName(this.profile, name));
      this.fieldOf.set(name, field);
    }
    this.healthReads = planReads(healthRegs, { gapTolerance: 0 });
    this.timeoutMs = options.timeoutMs ?? this.profile.transport.timeoutMs;
    this.intervalMs =
      options.healthIntervalMs ?? options.device.pollIntervalMs ?? this.profile.pollIntervalMs;
  }

  /** Starts reading the board's health every interval (the first read at once). */
  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.polling;
  }

  async setPower(on: boolean): Promise<void> {
    await this.command(`amplifier ${on ? 'on' : 'off'}`, {
      fc: 5,
      address: this.relay.address,
      value: on,
    });
    this.state.powered = on;
  }

  async setVolume(volume: number): Promise<void> {
    const reg = this.volume;
    if (!reg) throw new Error(`profile ${this.profile.name} has no volume register`);
    const [min, max] = reg.range ?? [0, 100];
    if (!Number.isInteger(volume) || volume < min || volume > max)
      throw new RangeError(`volume must be an integer in ${min}–${max}, got ${volume}`);
    const words = encodeRegister(reg, volume);
    const [word] = words;
    if (word === undefined || words.length !== 1 || reg.function !== 3)
      throw new Error(`volume register ${reg.name} must be one holding register (FC6 writes one word)`);
    await this.command(`volume ${volume}`, { fc: 6, address: reg.address, value: word });
  }

  health(): AmplifierHealth {
    return { ...this.state };
  }

  /** Reads every health point once (tests and the role's status call it too). */
  async readHealth(): Promise<void> {
    const next: AmplifierHealth = { powered: this.state.powered };
    try {
      for (const read of this.healthReads) {
        const data = await this.options.bus.read(this.options.device.unitId, this.timeoutMs, read);
        for (const reg of read.registers) {
          const words = wordsFor(read, reg, data as readonly (number | boolean)[]) as number[] | boolean[];
          const { value } = decodeRegister(reg, words);
          if (reg === this.relay) next.powered = value === 1;
          else this.assign(next, reg.name, value);
        }
      }
      this.state = next;
    } catch (err) {
      this.state = { ...this.state, error: `controller board: ${(err as Error).message}` };
    }
  }

  private assign(health: AmplifierHealth, register: string, value: number | null): void {
    const field = this.fieldOf.get(register);
    if (field === undefined || field === 'error' || value === null) return;
    if (field === 'fault' || field === 'doorOpen' || field === 'powered') health[field] = value !== 0;
    else health[field] = Math.round(value * 1000) / 1000;
  }

  private async command(what: string, write: Parameters<Bus['write']>[2]): Promise<void> {
    try {
      await this.options.bus.write(this.options.device.unitId, this.timeoutMs, write);
      const { error: _cleared, ...rest } = this.state;
      this.state = rest;
    } catch (err) {
      const message = `controller board did not take ${what}: ${(err as Error).message}`;
      this.state = { ...this.state, error: message };
      this.log.warn(
        { device: this.options.device.name, err: (err as Error).message },
        'amplifier write failed',
      );
      throw new Error(message);
    }
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.polling = this.readHealth().finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }
}

/** For clusters without a controller board: the amplifier is wired on; only the state is kept. */
export class NullAmplifier implements Amplifier {
  private powered = false;
  private level: number | undefined;

  /** Last volume asked for (nothing to send it to). */
  get volume(): number | undefined {
    return this.level;
  }

  async setPower(on: boolean): Promise<void> {
    this.powered = on;
  }

  async setVolume(volume: number): Promise<void> {
    this.level = volume;
  }

  health(): AmplifierHealth {
    return { powered: this.powered };
  }
}
