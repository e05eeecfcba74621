import { sensorRegisters } from '../../profile/channels.js';
import { type RegisterDef, channelOf, wordsOf } from '../../profile/register.js';
import type { Profile } from '../../profile/schema.js';
import { EXIT_OK, type Output, textTable } from '../output.js';
import { addressText, transportSummary } from './describe.js';

function registerRow(reg: RegisterDef): string[] {
  return [
    reg.name,
    addressText(reg.address),
    String(reg.function),
    reg.type,
    String(wordsOf(reg)),
    reg.order,
    String(reg.scale),
    String(reg.offset),
    reg.unit,
    reg.range ? `${reg.range[0]}..${reg.range[1]}` : '-',
    reg.writable ? 'rw' : 'r',
  ];
}

function headerLines(p: Profile): string[] {
  const t = p.transport;
  const lines = [
    `${p.name}  (${p.kind})`,
    `  ${p.manufacturer} / ${p.model}`,
    ...(p.description ? [`  ${p.description}`] : []),
    ...(p.datasheet ? [`  datasheet: ${p.datasheet}`] : []),
    `  transport: ${transportSummary(t)}, unit id ${t.unitId}, timeout ${t.timeoutMs} ms`,
    `  poll every ${p.pollIntervalMs} ms`,
    `  channels: ${sensorRegisters(p).map(channelOf).join(', ') || '-'}`,
  ];
  const speaker = p.capabilities.speaker;
  if (speaker) {
    lines.push(
      `  speaker: ${Object.entries(speaker)
        .map(([point, reg]) => `${point}=${reg}`)
        .join(', ')}`,
    );
  }
  return lines;
}

/** `profiles show`: the validated profile with every default filled in. */
export function showProfile(profile: Profile, json: boolean, io: Output): number {
  if (json) {
    io.out(JSON.stringify(profile, null, 2));
    return EXIT_OK;
  }
  for (const line of headerLines(profile)) io.out(line);
  io.out('');
  const header = [
    'REGISTER',
    'ADDRESS',
    'FN',
    'TYPE',
    'WORDS',
    'ORDER',
    'SCALE',
    'OFFSET',
    'UNIT',
    'RANGE',
    'RW',
  ];
  for (const line of textTable(header, profile.registers.map(registerRow))) io.out(line);
  return EXIT_OK;
}
