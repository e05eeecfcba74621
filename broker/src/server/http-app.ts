import { Hono } from 'hono';
import type { Logger } from 'pino';
import { enrollmentRoutes } from '../enrollment/routes.js';
import type { RateLimit } from '../enrollment/token-bucket.js';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import { emqxRoutes } from '../policy/emqx-routes.js';
import type { Registry } from '../registry/registry.js';

/** `/health`, `/metrics`, `POST /enroll` and the EMQX hooks under `/emqx`. */
export function httpApp(deps: {
  registry: Registry;
  metrics: BrokerMetrics;
  mqttUrl: string;
  log: Logger;
  enrollmentLimit?: RateLimit;
  health: () => { connectedClients: number; persistence: string };
  beforeScrape: () => void;
}): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok', ...deps.health() }));
  app.get('/metrics', async (c) => {
    deps.beforeScrape();
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'Content-Type': deps.metrics.registry.contentType });
  });
  app.route(
    '/',
    enrollmentRoutes({
      registry: deps.registry,
      mqttUrl: deps.mqttUrl,
      logger: deps.log.child({ part: 'enrollment' }),
      rateLimit: deps.enrollmentLimit,
    }),
  );
  app.route('/emqx', emqxRoutes({ registry: deps.registry, logger: deps.log.child({ part: 'emqx-hooks' }) }));
  return app;
}
