import { randomBytes, scryptSync } from 'node:crypto';
import type { Registry } from '@xaso/broker';
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

// Bench identities only: scrypt at N=16 costs microseconds, so 10,000 registrations and broker logins measure
// the broker and not the hash. The stored format is the registry's own; production keeps N=2^14.
const BENCH = { N: 16, r: 1, p: 1 };

function benchHash(secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, 32, BENCH);
  return ['scrypt', BENCH.N, BENCH.r, BENCH.p, salt.toString('base64url'), hash.toString('base64url')].join(
    '$',
  );
}

/**
 * Many clusters at once for the scale benches: registry rows, area placement and groups in one transaction,
 * without the signed config push per cluster (the groups travel in each cluster's local config instead).
 * With `areaId` null: sensor gateways (stations), no placement.
 */
export function registerBenchClusters(
  target: { registry: Registry; groupsFor(areaId: string): string[] },
  ids: readonly string[],
  areaId: string | null,
): ClusterCredentials[] {
  const groups = areaId === null ? [] : target.groupsFor(areaId);
  const setSecret = target.registry.db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?');
  const out: ClusterCredentials[] = [];
  target.registry.db.transaction(() => {
    for (const id of ids) {
      target.registry.createDevice({ id, role: areaId === null ? 'sensor-gateway' : 'speaker-cluster' });
      if (areaId !== null) target.registry.placeInArea(id, areaId, groups);
      const password = randomBytes(18).toString('base64url');
      setSecret.run(benchHash(password), id);
      out.push({ id, username: id, password, groups });
    }
  })();
  return out;
}
