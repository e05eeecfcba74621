import type { z } from 'zod';
import { type RegisterDef, channelOf, wordsOf } from './register.js';

interface ProfileShape {
  kind: string;
  registers: RegisterDef[];
  capabilities: { channels?: string[] | undefined; speaker?: Record<string, string | undefined> | undefined };
}

/** Rules a single field cannot express: overlaps, lengths, function/type pairs, capability references. */
export function checkProfileRules(profile: ProfileShape, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  const byName = new Map<string, RegisterDef>();

  profile.registers.forEach((reg, i) => {
    const at = ['registers', i];
    if (byName.has(reg.name)) issue([...at, 'name'], `duplicate register name "${reg.name}"`);
    byName.set(reg.name, reg);
    const bitSpace = reg.function === 1 || reg.function === 2;
    if (bitSpace && reg.type !== 'bool')
      issue([...at, 'type'], `function ${reg.function} reads bits: type must be bool, not ${reg.type}`);
    if (!bitSpace && reg.type === 'bool')
      issue([...at, 'type'], `bool needs function 1 (coil) or 2 (discrete input), not ${reg.function}`);
    const words = wordsOf(reg);
    if (reg.length !== undefined && reg.length !== words) {
      issue([...at, 'length'], `${reg.type} occupies ${words} register(s), but length is ${reg.length}`);
    }
    if (reg.address + words - 1 > 65535)
      issue([...at, 'address'], `${reg.type} at ${reg.address} runs past address 65535`);
    if (reg.range && !(reg.range[0] < reg.range[1]))
      issue([...at, 'range'], `range minimum ${reg.range[0]} must be below maximum ${reg.range[1]}`);
    if (reg.writable && (reg.function === 2 || reg.function === 4))
      issue([...at, 'writable'], `function ${reg.function} is read-only`);
  });

  checkOverlaps(profile.registers, issue);
  checkCapabilities(profile, byName, issue);
}

function checkOverlaps(
  registers: RegisterDef[],
  issue: (path: (string | number)[], message: string) => void,
): void {
  const indexed = registers
    .map((reg, index) => ({ reg, index }))
    .sort((a, b) => a.reg.function - b.reg.function || a.reg.address - b.reg.address);
  for (let k = 1; k < indexed.length; k++) {
    const prev = indexed[k - 1];
    const cur = indexed[k];
    if (!prev || !cur || prev.reg.function !== cur.reg.function) continue;
    const prevEnd = prev.reg.address + wordsOf(prev.reg) - 1;
    if (cur.reg.address <= prevEnd) {
      issue(
        ['registers', cur.index, 'address'],
        `"${cur.reg.name}" (function ${cur.reg.function}, address ${cur.reg.address}) overlaps "${prev.reg.name}" (addresses ${prev.reg.address}–${prevEnd})`,
      );
    }
  }
}

function checkCapabilities(
  profile: ProfileShape,
  byName: Map<string, RegisterDef>,
  issue: (path: (string | number)[], message: string) => void,
): void {
  const channels = new Set(profile.registers.map(channelOf));
  profile.capabilities.channels?.forEach((ch, i) => {
    if (!channels.has(ch)) issue(['capabilities', 'channels', i], `channel "${ch}" has no register`);
  });
  const speaker = profile.capabilities.speaker;
  if (profile.kind === 'speaker-controller' && !speaker)
    issue(['capabilities', 'speaker'], 'a speaker-controller profile must describe its speaker points');
  if (!speaker) return;
  for (const [point, regName] of Object.entries(speaker)) {
    if (regName === undefined) continue;
    const reg = byName.get(regName);
    if (!reg) {
      issue(['capabilities', 'speaker', point], `refers to unknown register "${regName}"`);
      continue;
    }
    if (point === 'amplifierRelay' && !(reg.function === 1 && reg.writable))
      issue(['capabilities', 'speaker', point], `"${regName}" must be a writable coil (function 1)`);
    if (point === 'volume' && !(reg.function === 3 && reg.writable))
      issue(
        ['capabilities', 'speaker', point],
        `"${regName}" must be a writable holding register (function 3)`,
      );
  }
}
