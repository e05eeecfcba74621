import { randomBytes, scryptSync } from 'node:crypto';
import type { ClusterCredentials } from '../../scripts/fleet/speaker-fleet.js';
import type { ConsoleStack } from '../integration/console/fixture.js';

// The registry's default scrypt (N=2^14) costs ~200 ms per hash here: 200 clusters would spend 40 s creating
// secrets and as long again logging in. Same stored format, cheaper cost (parameters travel with the hash).
const CHEAP = { N: 1024, r: 8, p: 1 };

function cheapHash(secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, 32, { ...CHEAP, maxmem: 256 * CHEAP.N * CHEAP.r });
  return ['scrypt', CHEAP.N, CHEAP.r, CHEAP.p, salt.toString('base64url'), hash.toString('base64url')].join(
    '$',
  );
}

/** Loudspeaker clusters in the registry, placed in the area through the console's placement (groups pushed). */
export async function placeClusters(
  stack: ConsoleStack,
  ids: readonly string[],
  areaId: string,
): Promise<ClusterCredentials[]> {
  const out: ClusterCredentials[] = [];
  for (const id of ids) {
    stack.registry.createDevice({ id, role: 'speaker-cluster' });
    const placed = await stack.console.core.placement.place(id, areaId, 'e2e');
    const password = randomBytes(24).toString('base64url');
    stack.registry.db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?').run(cheapHash(password), id);
    out.push({ id, username: id, password, groups: placed.groups });
  }
  return out;
}
