import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePackage } from './packages.js';
import { type ServerHandle, httpStatusIs, manageServer, onFreshPorts, spawnReady } from './process.js';

/**
 * influxd 1.6 (Debian 'influxdb') on loopback: v1 /write and InfluxQL /query, no auth, no /api/v2.
 * Its RPC/backup service defaults to :8088, so it gets a free port too.
 */
export async function startInfluxDB(): Promise<ServerHandle> {
  const influxd = await ensurePackage('influxdb', '/usr/bin/influxd');
  return onFreshPorts('xs-influxdb-', 2, async (dir, ports) => {
    const [port = 0, rpcPort = 0] = ports;
    const configFile = join(dir, 'influxdb.conf');
    await mkdir(join(dir, 'meta'));
    await writeFile(configFile, influxConfig(dir, port, rpcPort));
    // INFLUXDB_* variables override the config file, so none leak in from the environment.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INFLUXDB_')));
    const url = `http://127.0.0.1:${port}`;
    return manageServer({ url, port, dir }, () =>
      spawnReady({
        name: 'influxd',
        command: influxd,
        args: ['-config', configFile],
        cwd: dir,
        env,
        logFile: join(dir, 'influxd.log'),
        ready: () => httpStatusIs(`${url}/ping`, 204),
        readyWhat: `GET ${url}/ping -> 204`,
        listens: port,
      }),
    );
  });
}

function influxConfig(dir: string, port: number, rpcPort: number): string {
  // Debian's build reads "reporting-enabled", upstream "reporting-disabled": unknown keys are ignored.
  return `reporting-disabled = true
reporting-enabled = false
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false

[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  wal-fsync-delay = "0s"
  query-log-enabled = false

[monitor]
  store-enabled = false

[subscriber]
  enabled = false

[continuous_queries]
  log-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  auth-enabled = false
  log-enabled = false
  pprof-enabled = false

[logging]
  level = "warn"
  suppress-logo = true
`;
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface InfluxStatementResult {
  statement_id: number;
  series?: InfluxSeries[];
  error?: string;
}

/** Runs InfluxQL (POST, so CREATE/DROP work too) with epoch=ms times; throws on any error. */
export async function influxQuery(url: string, db: string, q: string): Promise<InfluxStatementResult[]> {
  const body = new URLSearchParams({ db, q, epoch: 'ms' });
  const res = await fetch(`${url}/query`, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`influxQuery ${q}: HTTP ${res.status} ${text.trim()}`);
  const json = JSON.parse(text) as { results?: InfluxStatementResult[]; error?: string };
  if (json.error !== undefined) throw new Error(`influxQuery ${q}: ${json.error}`);
  const results = json.results ?? [];
  const failed = results.find((r) => r.error !== undefined);
  if (failed !== undefined) throw new Error(`influxQuery ${q}: ${failed.error}`);
  return results;
}

export async function createDatabase(url: string, db: string): Promise<void> {
  await influxQuery(url, db, `CREATE DATABASE "${db.replaceAll('"', '\\"')}"`);
}

/** POSTs line protocol to the v1 /write endpoint; precision defaults to milliseconds. */
export async function influxWrite(
  url: string,
  db: string,
  lines: string | string[],
  precision: 'ns' | 'u' | 'ms' | 's' = 'ms',
): Promise<void> {
  const body = Array.isArray(lines) ? lines.join('\n') : lines;
  const query = new URLSearchParams({ db, precision });
  const res = await fetch(`${url}/write?${query}`, {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (res.status !== 204) throw new Error(`influxWrite: HTTP ${res.status} ${text.trim()}`);
}
