import type { MiddlewareHandler } from 'hono';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppEnv } from './env.js';

/** One prom-client registry per console instance (tests run several in one process). */
export class ConsoleMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'xaso_console_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'xaso_console_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly loginFailures = new Counter({
    name: 'xaso_console_login_failures_total',
    help: 'Failed sign-ins (wrong password or throttled)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'xaso_console_' });
  }

  middleware(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      const start = performance.now();
      await next();
      // The matched route pattern, not the raw path, so ids do not explode the label set.
      const route = c.req.routePath || 'unmatched';
      this.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
      this.duration.observe({ method: c.req.method, route }, (performance.now() - start) / 1000);
    };
  }
}
