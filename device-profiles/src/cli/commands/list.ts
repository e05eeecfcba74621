import { sensorRegisters } from '../../profile/channels.js';
import type { Profile } from '../../profile/schema.js';
import { EXIT_OK, type Output, textTable } from '../output.js';
import { transportSummary } from './describe.js';

/** `profiles list`: one line per profile. */
export function listProfiles(profiles: ReadonlyMap<string, Profile>, io: Output): number {
  const rows = [...profiles.values()].map((p) => [
    p.name,
    p.kind,
    `${p.manufacturer} / ${p.model}`,
    transportSummary(p.transport),
    String(sensorRegisters(p).length),
  ]);
  for (const line of textTable(['NAME', 'KIND', 'MANUFACTURER / MODEL', 'TRANSPORT', 'CHANNELS'], rows))
    io.out(line);
  return EXIT_OK;
}
