import { type DeviceKind, type Profile, type RegisterDef, channelOf } from '@xaso/device-profiles';
import { AIR_QUALITY, PM_SENSOR } from './air.js';
import type { KindModel, ModelContext } from './context.js';
import { localHour } from './diurnal.js';
import { hashUnit } from './random.js';
import { SPEAKER_CONTROLLER } from './speaker.js';
import { WATER_QUALITY } from './water.js';

const MODELS: Record<DeviceKind, KindModel> = {
  'air-quality': AIR_QUALITY,
  'pm-sensor': PM_SENSOR,
  'water-quality': WATER_QUALITY,
  'speaker-controller': SPEAKER_CONTROLLER,
};

const BAUD_CODES: Record<number, number> = { 2400: 0, 4800: 1, 9600: 2 };

/**
 * Plausible engineering values for every register of a profile at any moment, deterministic in (seed, time).
 * Values stay inside each register's range; faults are applied later, by the device.
 */
export class ValueModel {
  private readonly kind: KindModel;
  private readonly site: number;

  constructor(
    readonly profile: Profile,
    readonly seed: number,
  ) {
    this.kind = MODELS[profile.kind];
    this.site = 0.7 + 0.6 * hashUnit(seed, 7);
  }

  /** Starting values of the writable registers (relay off, volume 70, the configured slave address…). */
  initialHeld(unitId: number): Map<string, number> {
    const held = new Map<string, number>();
    for (const reg of this.profile.registers.filter((r) => r.writable)) {
      held.set(reg.name, this.clamp(reg, this.initialOf(reg, unitId)));
    }
    return held;
  }

  /** Values by register name at `timeMs`; writable registers report what is held. */
  at(timeMs: number, held: ReadonlyMap<string, number> = new Map()): Map<string, number> {
    const ctx: ModelContext = { timeMs, hour: localHour(timeMs), seed: this.seed, site: this.site, held };
    const byChannel = this.kind.values(ctx);
    const out = new Map<string, number>();
    for (const reg of this.profile.registers) {
      const heldValue = held.get(reg.name);
      const value =
        reg.writable && heldValue !== undefined
          ? heldValue
          : (byChannel[channelOf(reg)] ?? this.fallback(reg));
      out.set(reg.name, this.clamp(reg, value));
    }
    return out;
  }

  private initialOf(reg: RegisterDef, unitId: number): number {
    const fromKind = this.kind.initial?.[reg.name];
    if (fromKind !== undefined) return fromKind;
    if (reg.name === 'device_address') return unitId;
    if (reg.name === 'baud_code' && this.profile.transport.type === 'rtu') {
      return BAUD_CODES[this.profile.transport.baudRate] ?? 0;
    }
    return this.fallback(reg);
  }

  /** A channel no model knows: the middle of its range, or 0. */
  private fallback(reg: RegisterDef): number {
    return reg.range ? (reg.range[0] + reg.range[1]) / 2 : 0;
  }

  private clamp(reg: RegisterDef, value: number): number {
    if (reg.type === 'bool') return value ? 1 : 0;
    if (!reg.range) return value;
    return Math.min(reg.range[1], Math.max(reg.range[0], value));
  }
}
