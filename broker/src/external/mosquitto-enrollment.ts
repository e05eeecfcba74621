import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { enrollmentRoutes } from '../enrollment/routes.js';
import type { RateLimit } from '../enrollment/token-bucket.js';
import type { Registry } from '../registry/registry.js';
import type { MosquittoCredentials } from './mosquitto-credentials.js';

export interface MosquittoEnrollmentDeps {
  registry: Registry;
  credentials: MosquittoCredentials;
  /** The Mosquitto URL handed to devices. */
  mqttUrl: string;
  logger?: Logger;
  rateLimit?: RateLimit;
}

/**
 * `POST /enroll` for a Mosquitto site: the broker's own route (same checks, rate limit and answers),
 * except that a redeemed code also records the Mosquitto hash of the new password, so the device is in
 * the next password file (a MosquittoSync following the registry reloads Mosquitto on the 'rotated' change).
 */
export function mosquittoEnrollmentRoutes(deps: MosquittoEnrollmentDeps): Hono {
  const { registry, credentials } = deps;
  const recording = new Proxy(registry, {
    get(target, property) {
      if (property === 'redeemEnrollmentCode')
        return (id: string, code: string) => credentials.redeemEnrollmentCode(id, code);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return enrollmentRoutes({
    registry: recording,
    mqttUrl: deps.mqttUrl,
    logger: deps.logger,
    rateLimit: deps.rateLimit,
  });
}
