import { join } from 'node:path';
import { ensurePackage } from './packages.js';
import { type ServerHandle, httpStatusIs, manageServer, onFreshPorts, spawnReady } from './process.js';

/**
 * victoria-metrics 1.79 (Debian package) on loopback. Accepts Influx line protocol on /write and
 * /api/v2/write; read back with /api/v1/export. Points outside the retention are dropped silently.
 */
export async function startVictoriaMetrics(): Promise<ServerHandle> {
  const binary = await ensurePackage('victoria-metrics', '/usr/bin/victoria-metrics');
  return onFreshPorts('xs-victoria-', 1, async (dir, ports) => {
    const [port = 0] = ports;
    const url = `http://127.0.0.1:${port}`;
    const args = [
      `-storageDataPath=${join(dir, 'data')}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=100y',
      // Tests read right after writing: no 30 s hiding of fresh points, no cached query responses.
      '-search.latencyOffset=0s',
      '-search.disableCache',
      '-loggerLevel=WARN',
    ];
    return manageServer({ url, port, dir }, () =>
      spawnReady({
        name: 'victoria-metrics',
        command: binary,
        args,
        cwd: dir,
        logFile: join(dir, 'victoria-metrics.log'),
        ready: () => httpStatusIs(`${url}/health`, 200),
        readyWhat: `GET ${url}/health -> 200`,
        listens: port,
      }),
    );
  });
}

/** Makes just-ingested points searchable now instead of within about a second (in memory only). */
export async function victoriaFlush(url: string): Promise<void> {
  await victoriaGet(url, '/internal/force_flush');
}

/**
 * Writes everything ingested so far to disk, so it survives a SIGKILL. force_flush does not: without
 * this, kill() loses the last few seconds. Creating a snapshot flushes to disk; we then delete it.
 */
export async function victoriaPersist(url: string): Promise<void> {
  const created = JSON.parse(await victoriaGet(url, '/snapshot/create')) as {
    status?: string;
    snapshot?: string;
  };
  if (created.status !== 'ok' || created.snapshot === undefined) {
    throw new Error(`victoriaPersist: snapshot/create said ${JSON.stringify(created)}`);
  }
  await victoriaGet(url, `/snapshot/delete?snapshot=${encodeURIComponent(created.snapshot)}`);
}

export interface VictoriaExportLine {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/**
 * GET /api/v1/export for one series selector, e.g. {__name__=~"air_.*"}; one entry per series.
 * The default end is now rounded down to the second, hiding the newest points, so we ask two days ahead.
 */
export async function victoriaExport(url: string, match: string): Promise<VictoriaExportLine[]> {
  const end = Math.floor((Date.now() + 2 * 86_400_000) / 1000);
  const query = new URLSearchParams({ 'match[]': match, end: String(end) });
  return (await victoriaGet(url, `/api/v1/export?${query}`))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as VictoriaExportLine);
}

async function victoriaGet(url: string, path: string): Promise<string> {
  const res = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`victoria-metrics GET ${path}: HTTP ${res.status} ${text.trim()}`);
  return text;
}
