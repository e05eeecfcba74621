import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from '../../../broker/src/index.js';
import { hashSecret, newPassword } from '../../../broker/src/registry/secret-hash.js';
import { openSqlite } from '../../../collector/src/sqlite.js';
import { type PlannedCluster, planClusters } from '../../../scripts/fleet/speaker-province.js';
import type { Province, Station } from '../../../scripts/province/province.js';

export interface Credentials {
  id: string;
  password: string;
}

export interface ProvisionedProvince {
  clusters: (PlannedCluster & Credentials)[];
  stations: (Station & Credentials)[];
  /** A sensor gateway whose firmware went bad (or was taken over): malformed data, publishes outside its ACL. */
  rogue: Credentials;
  collector: { username: string; password: string };
}

/**
 * Writes the device registry before the broker's first start. Secrets use scrypt N=1024 (the hash carries
 * its parameters; production uses N=16384) so a whole fleet re-authenticating after each broker SIGKILL
 * settles in seconds on a 2-core machine instead of timing out its CONNACKs.
 */
export function provision(
  brokerData: string,
  province: Province,
  counts: { clusters: number; stations: number },
): ProvisionedProvince {
  mkdirSync(brokerData, { recursive: true });
  const file = join(brokerData, 'registry.sqlite');
  const clusters = planClusters(province, counts.clusters).map((p) => ({ ...p, password: '' }));
  const stations = province.stations.slice(0, counts.stations).map((s) => ({ ...s, password: '' }));
  const rogue = { id: 'tn-air-99', password: '' };
  const collectorPassword = newPassword();
  const registry = Registry.open(file, { logger: pino({ level: 'silent' }) });
  let username: string;
  try {
    for (const c of clusters) registry.createDevice({ id: c.id, role: 'speaker-cluster', name: c.name });
    for (const s of [...stations, rogue]) registry.createDevice({ id: s.id, role: 'sensor-gateway' });
    username = registry.ensureService('collector', collectorPassword).username;
  } finally {
    registry.close();
  }
  const db = openSqlite(file, 'full');
  try {
    const setSecret = db.prepare('UPDATE devices SET secret_hash = ? WHERE id = ?');
    for (const d of [...clusters, ...stations, rogue]) {
      d.password = newPassword();
      setSecret.run(hashSecret(d.password, { N: 1024, r: 8, p: 1 }), d.id);
    }
  } finally {
    db.close();
  }
  return { clusters, stations, rogue, collector: { username, password: collectorPassword } };
}
