/**
 * The console's overview at region scale (issue #8): seeds N clusters + M stations into a real console and
 * registry (straight into the registry, presence in a collector state DB), then times in the same run
 * what the devices page used to fetch (every device, paged at the maximum) against what it fetches now
 * (a page, a search, the summary) and the /api/live snapshot for everything, one commune and an operator.
 *
 *   npx tsx tests/bench/console-overview/overview.ts --clusters 10000 --stations 1000 --rounds 5
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { tempDir } from '../../harness/index.js';
import { regionFleet, seedFleet } from '../../integration/console-scale/fleet-seed.js';
import { readSnapshotEvent } from '../../integration/console-scale/snapshot-reader.js';
import { type ApiClient, startConsoleStack } from '../../integration/console/fixture.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10000' },
    stations: { type: 'string', default: '1000' },
    communes: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '5' },
  },
});
const clusters = Number(values.clusters);
const stations = Number(values.stations);
const communeCount = Number(values.communes);
const rounds = Number(values.rounds);
for (const [name, n] of Object.entries({ clusters, stations, communes: communeCount, rounds }))
  if (!Number.isInteger(n) || n < (name === 'stations' ? 0 : 1))
    throw new Error(`--${name}: a positive integer`);

const emit = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

const communes = Array.from({ length: communeCount }, (_, c) => {
  const id = `xa-${String(c).padStart(3, '0')}`;
  return { id, villages: [`${id}-ap-a`, `${id}-ap-b`] };
});
const areas = [
  { id: 'tinh', parentId: null, name: 'Tỉnh', kind: 'province', lat: 11.3, lon: 106.1 },
  ...communes.flatMap((c, i) => [
    { id: c.id, parentId: 'tinh', name: `Xã ${i}`, kind: 'commune', lat: 11 + i / 100, lon: 106 + i / 100 },
    ...c.villages.map((v) => ({ id: v, parentId: c.id, name: `Ấp ${v}`, kind: 'village' })),
  ]),
];

async function timed(client: ApiClient, path: string): Promise<{ ms: number; bytes: number; body: unknown }> {
  const started = performance.now();
  const res = await client.fetch(path);
  const text = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
  return { ms, bytes: Buffer.byteLength(text), body: JSON.parse(text) };
}

/** What the devices page used to load: every device, here paged through at the maximum page size. */
async function everything(
  client: ApiClient,
): Promise<{ ms: number; bytes: number; items: number; pages: number }> {
  let cursor: string | null = null;
  let ms = 0;
  let bytes = 0;
  let items = 0;
  let pages = 0;
  do {
    const page = await timed(client, `/api/devices?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    const body = page.body as { items: unknown[]; nextCursor: string | null };
    ms += page.ms;
    bytes += page.bytes;
    items += body.items.length;
    pages++;
    cursor = body.nextCursor;
  } while (cursor !== null);
  return { ms, bytes, items, pages };
}

async function snapshot(
  client: ApiClient,
  query = '',
): Promise<{ ms: number; bytes: number; items: number }> {
  const started = performance.now();
  const controller = new AbortController();
  const res = await client.fetch(`/api/live${query}`, { signal: controller.signal });
  if (res.status !== 200) throw new Error(`/api/live${query} answered ${res.status}`);
  try {
    const data = await readSnapshotEvent(res);
    const ms = performance.now() - started;
    return {
      ms,
      bytes: Buffer.byteLength(data),
      items: (JSON.parse(data) as { devices: unknown[] }).devices.length,
    };
  } finally {
    controller.abort();
  }
}

const stateDir = await tempDir('xs-bench-overview');
const collectorStateDb = join(stateDir, 'state.sqlite');
const startedAt = performance.now();
const stack = await startConsoleStack({
  areas,
  config: { collectorStateDb, logLevel: 'warn' },
  start: { logger: pino({ level: 'warn' }) },
});
try {
  const region = regionFleet(communes, Math.ceil(clusters / communeCount), stations);
  const fleet = [
    ...region.filter((d) => d.role === 'speaker-cluster').slice(0, clusters),
    ...region.filter((d) => d.role === 'sensor-gateway'),
  ];
  const seeding = performance.now();
  seedFleet(
    { registry: stack.registry, groupsFor: (a) => stack.console.core.placement.groupsFor(a) },
    collectorStateDb,
    fleet,
  );
  emit({
    what: 'setup',
    devices: fleet.length,
    startMs: Math.round(seeding - startedAt),
    seedMs: Math.round(performance.now() - seeding),
  });
  const admin = await stack.login('admin');
  const operator = await stack.login('operator', { areaIds: [communes[1]?.id ?? 'tinh'] });
  const commune = communes[2]?.id ?? 'tinh';
  const results = new Map<string, number[]>();
  const record = (
    what: string,
    round: number,
    m: { ms: number; bytes: number; items?: number; pages?: number },
  ) => {
    results.set(what, [...(results.get(what) ?? []), m.ms]);
    emit({ what, round, ms: Math.round(m.ms), bytes: m.bytes, items: m.items, pages: m.pages });
  };
  for (let round = 0; round < rounds; round++) {
    record('old: every device (limit=1000, paged to the end)', round, await everything(admin));
    const first = await timed(admin, '/api/devices');
    record('first page (limit=100)', round, {
      ...first,
      items: (first.body as { items: unknown[] }).items.length,
    });
    const search = await timed(admin, '/api/devices?q=cum%20loa%20so%2012&state=online');
    record('search + state filter', round, {
      ...search,
      items: (search.body as { items: unknown[] }).items.length,
    });
    record('summary', round, await timed(admin, '/api/devices/summary'));
    record('live snapshot: everything (admin)', round, await snapshot(admin));
    record(`live snapshot: one commune (?area=${commune})`, round, await snapshot(admin, `?area=${commune}`));
    record('live snapshot: operator of one commune', round, await snapshot(operator));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  emit({
    what: 'medians',
    devices: fleet.length,
    rounds,
    ms: Object.fromEntries([...results].map(([what, xs]) => [what, Math.round(median(xs))])),
  });
} finally {
  await stack.close();
  await rm(stateDir, { recursive: true, force: true });
}
process.exit(0);
