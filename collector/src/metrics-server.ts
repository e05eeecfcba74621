import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * Serves /metrics (Prometheus text; `?name=<metric>` for one metric, a cheap poll for tools and tests)
 * and /healthz; port 0 picks a free port.
 */
export async function startMetricsServer(
  registry: Registry,
  host: string,
  port: number,
  /** Refreshes gauges read on scrape; `name` is the one metric asked for, null for all. */
  beforeScrape: (name: string | null) => void,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://collector');
    if (url.pathname === '/metrics') {
      const name = url.searchParams.get('name');
      if (name !== null && registry.getSingleMetric(name) === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end(`no metric named ${name}`);
        return;
      }
      beforeScrape(name);
      (name === null ? registry.metrics() : registry.getSingleMetricAsString(name))
        .then((text) => {
          res.writeHead(200, { 'Content-Type': registry.contentType });
          res.end(text);
        })
        .catch((err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        });
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
