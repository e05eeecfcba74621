import { type RegisterDef, channelOf } from './register.js';
import type { Profile } from './schema.js';

/** Registers that are sensor channels: the declared list, or every register not used as a speaker point. */
export function sensorRegisters(profile: Profile): RegisterDef[] {
  const speakerPoints = new Set(Object.values(profile.capabilities.speaker ?? {}));
  const declared = profile.capabilities.channels;
  return profile.registers.filter((reg) =>
    declared ? declared.includes(channelOf(reg)) : !speakerPoints.has(reg.name),
  );
}

export function registerByName(profile: Profile, name: string): RegisterDef {
  const reg = profile.registers.find((r) => r.name === name);
  if (!reg) throw new Error(`profile ${profile.name} has no register "${name}"`);
  return reg;
}
