import type { Logger } from 'pino';
import type { InfluxqlClient } from './influxql-client.js';
import { ident } from './influxql.js';

export interface V1SchemaOptions {
  db: string;
  rawRp: string;
  rawRetention: string;
  longRp: string;
  longRetention: string;
}

export const CQ_NAME = 'xaso_downsample_1h';
export const ROLLUP_WIDTH_MS = 3_600_000;

/** The downsampling select, shared by the continuous query and the backfill of late data. */
export function downsampleSelect(o: V1SchemaOptions, timeRange = ''): string {
  return (
    `SELECT mean(*), min(*), max(*), count(*) INTO ${ident(o.db)}.${ident(o.longRp)}.:MEASUREMENT ` +
    `FROM ${ident(o.db)}.${ident(o.rawRp)}./.*/${timeRange} GROUP BY time(1h), *`
  );
}

/** The statements run at start, listed in docs/data-model.md; each checked first so a restart changes nothing. */
export async function ensureV1Schema(client: InfluxqlClient, o: V1SchemaOptions, log: Logger): Promise<void> {
  await client.run(`CREATE DATABASE ${ident(o.db)}`, { db: false });
  const [rps = []] = await client.run(`SHOW RETENTION POLICIES ON ${ident(o.db)}`, { db: false });
  const existing = new Map<string, string>();
  for (const s of rps) {
    const nameCol = s.columns.indexOf('name');
    const durCol = s.columns.indexOf('duration');
    for (const row of s.values) existing.set(String(row[nameCol]), String(row[durCol]));
  }
  const wanted: Array<[string, string]> = [
    [o.rawRp, o.rawRetention],
    [o.longRp, o.longRetention],
  ];
  for (const [rp, duration] of wanted) {
    if (!existing.has(rp)) {
      await client.run(
        `CREATE RETENTION POLICY ${ident(rp)} ON ${ident(o.db)} DURATION ${duration} REPLICATION 1`,
        {
          db: false,
        },
      );
      log.info({ rp, duration }, 'created retention policy');
    } else if (normaliseDuration(existing.get(rp) ?? '') !== normaliseDuration(duration)) {
      await client.run(`ALTER RETENTION POLICY ${ident(rp)} ON ${ident(o.db)} DURATION ${duration}`, {
        db: false,
      });
      log.info({ rp, duration }, 'changed retention policy duration');
    }
  }
  const [cqs = []] = await client.run('SHOW CONTINUOUS QUERIES', { db: false });
  const present = cqs.some((s) => s.name === o.db && s.values.some((row) => row[0] === CQ_NAME));
  if (!present) {
    await client.run(
      `CREATE CONTINUOUS QUERY ${ident(CQ_NAME)} ON ${ident(o.db)} RESAMPLE EVERY 1h FOR 2h BEGIN ${downsampleSelect(o)} END`,
      { db: false },
    );
    log.info({ cq: CQ_NAME }, 'created continuous query');
  }
}

/** InfluxDB reports 30d as 720h0m0s and INF as 0s. */
function normaliseDuration(d: string): number {
  if (d === 'INF' || d === '0s' || d === '0') return 0;
  let ms = 0;
  for (const [, n, unit] of d.matchAll(/(\d+)(w|d|h|m|s)/g)) {
    const factor = { w: 604_800, d: 86_400, h: 3600, m: 60, s: 1 }[unit as 'w' | 'd' | 'h' | 'm' | 's'];
    ms += Number(n) * factor * 1000;
  }
  return ms;
}
