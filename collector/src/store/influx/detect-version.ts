import type { Logger } from 'pino';

export type InfluxApi = '1' | '2';

/**
 * Which write API a server speaks. `/ping`'s X-Influxdb-Version answers for InfluxDB (1.x → v1 API,
 * 2.x/3.x → v2); servers that do not send it (VictoriaMetrics) are probed on /api/v2/write with an
 * empty body: 404 means no v2 endpoint. Throws when the server cannot be reached.
 */
export async function detectInfluxApi(url: string, timeoutMs: number, log: Logger): Promise<InfluxApi> {
  const base = url.replace(/\/$/, '');
  const ping = await fetch(`${base}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
  await ping.arrayBuffer();
  const version = ping.headers.get('x-influxdb-version');
  if (version) {
    const major = /^v?(\d+)/.exec(version.trim())?.[1];
    if (major === '1') return '1';
    if (major !== undefined) return '2';
    log.warn({ version }, 'unrecognised X-Influxdb-Version; probing the write endpoints');
  }
  const probe = await fetch(`${base}/api/v2/write?org=&bucket=xaso-probe&precision=ms`, {
    method: 'POST',
    body: '',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await probe.arrayBuffer();
  return probe.status === 404 ? '1' : '2';
}
