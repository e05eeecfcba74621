import {
  type FunctionCode,
  type Profile,
  type RegisterDef,
  channelOf,
  decodeRegister,
} from '@xaso/device-profiles';
import { type FrameOutcome, decideFrame } from './faults/frame-outcome.js';
import { type Fault, type ValueFault, isFrameFault } from './faults/spec.js';
import { ExceptionCode, ModbusException } from './modbus/exception.js';
import { RegisterBank } from './register-bank.js';
import { ValueModel } from './values/model.js';
import { SeededRandom } from './values/random.js';

export interface SimulatedDeviceOptions {
  profile: Profile;
  /** Modbus unit id; defaults to the profile's transport default. */
  unitId?: number;
  seed?: number;
  /** Where "now" comes from; tests pin it. */
  clock?: () => number;
  /** Values change at most this often, so a multi-register read never mixes two moments. */
  updateIntervalMs?: number;
  faults?: readonly Fault[];
}

/** What an unplugged sensor sends when its profile names no fault value (common vendor markers). */
const UNPLUGGED_RAW: Record<RegisterDef['type'], number> = {
  bool: 0,
  int16: -32768,
  uint16: 65535,
  int32: -2147483648,
  uint32: 4294967295,
  float32: Number.NaN,
  float64: Number.NaN,
};

const isFloat = (reg: RegisterDef) => reg.type === 'float32' || reg.type === 'float64';

/** One simulated instrument: its profile, register bank, value model and injected faults. */
export class SimulatedDevice {
  readonly profile: Profile;
  readonly unitId: number;
  readonly model: ValueModel;
  readonly bank: RegisterBank;
  private readonly clock: () => number;
  private readonly updateIntervalMs: number;
  private readonly random: SeededRandom;
  private readonly held: Map<string, number>;
  private readonly forced = new Map<string, number>();
  private faultList: Fault[] = [];
  private lastStep: number | undefined;

  constructor(options: SimulatedDeviceOptions) {
    this.profile = options.profile;
    this.unitId = options.unitId ?? options.profile.transport.unitId;
    const seed = options.seed ?? 1;
    this.model = new ValueModel(this.profile, seed);
    this.bank = new RegisterBank(this.profile);
    this.clock = options.clock ?? Date.now;
    this.updateIntervalMs = options.updateIntervalMs ?? 1000;
    this.random = new SeededRandom(seed ^ 0x5eed);
    this.held = this.model.initialHeld(this.unitId);
    for (const fault of options.faults ?? []) this.addFault(fault);
    this.refresh(true);
  }

  /** Engineering values currently served, by register name (raw × scale + offset; fault markers as sent). */
  snapshot(): Record<string, number> {
    this.refresh();
    const out: Record<string, number> = {};
    for (const reg of this.profile.registers) {
      const decoded = decodeRegister(reg, this.bank.wordsOf(reg));
      out[reg.name] =
        decoded.value ?? (Number.isFinite(decoded.raw) ? decoded.raw * reg.scale + reg.offset : Number.NaN);
    }
    return out;
  }

  /** Forces a channel (or register name) to a value until released. */
  set(channel: string, value: number): void {
    for (const reg of this.registersOf(channel)) this.forced.set(reg.name, value);
    this.refresh(true);
  }

  release(channel: string): void {
    for (const reg of this.registersOf(channel)) this.forced.delete(reg.name);
    this.refresh(true);
  }

  get faults(): readonly Fault[] {
    return this.faultList;
  }

  /** Adds a fault at run time; value faults are checked against this profile's channels. */
  addFault(fault: Fault): void {
    if (!isFrameFault(fault)) this.checkValueFault(fault);
    this.faultList.push(fault);
    this.refresh(true);
  }

  setFaults(faults: readonly Fault[]): void {
    this.faultList = [];
    for (const fault of faults) this.addFault(fault);
    this.refresh(true);
  }

  clearFaults(): void {
    this.setFaults([]);
  }

  /** Rolls the frame faults for one request. */
  frameOutcome(): FrameOutcome {
    return decideFrame(this.faultList.filter(isFrameFault), this.random);
  }

  read(fc: FunctionCode, address: number, count: number): number[] {
    this.refresh();
    return this.bank.read(fc, address, count);
  }

  /** A master writes coils (function 5/15) or holding registers (6/16); writable registers hold the value. */
  write(fc: 1 | 3, address: number, values: readonly number[]): void {
    this.refresh();
    const plan = this.bank.plan(fc, address, values);
    const decoded = [...plan].map(([reg, words]) => {
      const { value, quality } = decodeRegister(reg, words);
      if (value === null || quality !== 'good') {
        throw new ModbusException(
          ExceptionCode.IllegalDataValue,
          `${reg.name}: ${value} is outside ${JSON.stringify(reg.range)}`,
        );
      }
      return { reg, value };
    });
    for (const { reg, value } of decoded) this.held.set(reg.name, value);
    this.refresh(true);
  }

  /** Recomputes served values when the clock has moved to a new step (or when forced). */
  refresh(force = false): void {
    const step = Math.floor(this.clock() / this.updateIntervalMs);
    if (!force && step === this.lastStep) return;
    this.lastStep = step;
    const values = this.model.at(step * this.updateIntervalMs, this.held);
    for (const reg of this.profile.registers) {
      const fault = this.valueFaultOf(reg);
      if (fault === 'stuck') continue;
      if (fault === 'disconnected') this.bank.setRaw(reg, reg.faultValues?.[0] ?? UNPLUGGED_RAW[reg.type]);
      else if (fault === 'nan') this.bank.setRaw(reg, Number.NaN);
      else this.bank.setValue(reg, this.forced.get(reg.name) ?? values.get(reg.name) ?? 0);
    }
  }

  private valueFaultOf(reg: RegisterDef): ValueFault['kind'] | undefined {
    if (reg.writable) return undefined;
    const applies = (f: ValueFault) =>
      f.channel === undefined || f.channel === reg.name || f.channel === channelOf(reg);
    const active = this.faultList.filter((f): f is ValueFault => !isFrameFault(f) && applies(f));
    if (active.some((f) => f.kind === 'stuck')) return 'stuck';
    if (active.some((f) => f.kind === 'disconnected') && reg.type !== 'bool') return 'disconnected';
    if (active.some((f) => f.kind === 'nan') && isFloat(reg)) return 'nan';
    return undefined;
  }

  private checkValueFault(fault: ValueFault): void {
    const targets = fault.channel === undefined ? this.profile.registers : this.registersOf(fault.channel);
    if (fault.kind === 'nan' && !targets.some(isFloat)) {
      const what = fault.channel ?? this.profile.name;
      throw new Error(
        `fault nan: ${what} has no float register (NaN only exists in floats; use disconnected instead)`,
      );
    }
  }

  private registersOf(channel: string): RegisterDef[] {
    const regs = this.profile.registers.filter((r) => r.name === channel || channelOf(r) === channel);
    if (regs.length === 0) {
      const known = [...new Set(this.profile.registers.map(channelOf))].join(', ');
      throw new Error(`profile ${this.profile.name} has no channel "${channel}" (known: ${known})`);
    }
    return regs;
  }
}
