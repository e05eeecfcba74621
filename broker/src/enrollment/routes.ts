import { EnrollmentRequestSchema, EnrollmentResponseSchema } from '@xaso/device-profiles/contract';
import type { EnrollmentResponse } from '@xaso/device-profiles/contract';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { EnrollmentError } from '../registry/errors.js';
import type { EnrollmentFailure } from '../registry/errors.js';
import type { Registry } from '../registry/registry.js';
import { clientAddress } from './client-address.js';
import { TokenBuckets } from './token-bucket.js';
import type { RateLimit } from './token-bucket.js';

export interface EnrollmentDeps {
  registry: Registry;
  /** The broker URL handed to devices, e.g. mqtts://broker.example:8883. */
  mqttUrl: string;
  logger?: Logger;
  /** Per remote address; default a burst of 10, then 10 a minute. */
  rateLimit?: RateLimit;
  now?: () => number;
}

/** Unknown device, missing code and wrong code look alike from outside so ids cannot be probed. */
const INVALID = { error: 'invalid-code', message: 'the device id and enrollment code do not match' };
const PUBLIC_REFUSAL: Record<EnrollmentFailure, { error: string; message: string }> = {
  'unknown-device': INVALID,
  'no-code': INVALID,
  'wrong-code': INVALID,
  expired: { error: 'expired', message: 'the enrollment code has expired; ask for a new one' },
  'already-used': {
    error: 'already-used',
    message: 'the enrollment code was already used; ask for a new one',
  },
  'device-disabled': { error: 'device-disabled', message: 'the device is disabled in the registry' },
};

/** `POST /enroll`: a gateway trades its one-time code for MQTT credentials and the command-signing key. */
export function enrollmentRoutes(deps: EnrollmentDeps): Hono {
  const log = deps.logger ?? pino({ name: 'enrollment', level: process.env.LOG_LEVEL ?? 'info' });
  const buckets = new TokenBuckets(deps.rateLimit ?? { burst: 10, perMinute: 10 }, deps.now);
  const app = new Hono();

  app.post(
    '/enroll',
    bodyLimit({
      maxSize: 4096,
      onError: (c) => c.json({ error: 'too-large', message: 'request body over 4 KiB' }, 413),
    }),
    async (c) => {
      const remote = clientAddress(c);
      if (!buckets.take(remote)) {
        log.warn({ remote }, 'enrollment rate limit hit');
        c.header('Retry-After', String(buckets.retryAfterSeconds(remote)));
        return c.json(
          { error: 'rate-limited', message: 'too many enrollment attempts; wait and retry' },
          429,
        );
      }
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ error: 'invalid-request', field: 'body', message: 'body must be JSON' }, 400);
      }
      const parsed = EnrollmentRequestSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || 'body';
        return c.json(
          { error: 'invalid-request', field, message: `${field}: ${issue?.message ?? 'invalid'}` },
          400,
        );
      }
      const { deviceId, code } = parsed.data;
      const signingPublicKeyPem = deps.registry.signingPublicKey();
      if (signingPublicKeyPem === undefined) {
        log.error({ deviceId, remote }, 'enrollment impossible: no console signing key in the registry');
        return c.json({ error: 'not-ready', message: 'the console signing key is not configured yet' }, 503);
      }
      try {
        const { password } = deps.registry.redeemEnrollmentCode(deviceId, code);
        const device = deps.registry.getDevice(deviceId);
        const response: EnrollmentResponse = EnrollmentResponseSchema.parse({
          deviceId,
          mqtt: { url: deps.mqttUrl, username: deviceId, password },
          signingPublicKeyPem,
          groups: device?.groups ?? [],
        });
        log.info({ deviceId, remote }, 'device enrolled');
        return c.json(response, 200);
      } catch (err) {
        if (!(err instanceof EnrollmentError)) throw err;
        log.warn({ deviceId, remote, reason: err.reason }, 'enrollment refused');
        return c.json(PUBLIC_REFUSAL[err.reason], 403);
      }
    },
  );
  return app;
}
