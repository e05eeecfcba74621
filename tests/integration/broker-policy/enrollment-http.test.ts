import { EnrollmentResponseSchema } from '@xaso/device-profiles/contract';
import { generateSigningKeys } from '@xaso/device-profiles/signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentRoutes } from '../../../broker/src/enrollment/routes.js';
import { Registry } from '../../../broker/src/registry/registry.js';
import { quietLogger, scratchDir } from '../../unit/broker-policy/scratch.js';
import { postJson, serveOnLoopback } from './http-server.js';

const scratch = scratchDir('enroll-http');
const MQTT_URL = 'mqtts://broker.tayninh.example:8883';
const { publicKeyPem } = generateSigningKeys();
let registry: Registry;
let http: Awaited<ReturnType<typeof serveOnLoopback>>;

beforeAll(async () => {
  registry = Registry.open(scratch.file('registry.sqlite'), { logger: quietLogger });
  registry.setSigningPublicKey(publicKeyPem);
  for (const id of ['loa-01', 'loa-02', 'loa-03', 'loa-04'])
    registry.createDevice({ id, role: 'speaker-cluster', groups: ['xa-an-binh'] });
  http = await serveOnLoopback(
    enrollmentRoutes({
      registry,
      mqttUrl: MQTT_URL,
      logger: quietLogger,
      rateLimit: { burst: 30, perMinute: 1 },
    }),
  );
});
afterAll(async () => {
  await http.close();
  registry.close();
  scratch.remove();
});

const enroll = (body: unknown) => postJson(`${http.base}/enroll`, body);

describe('POST /enroll', () => {
  it('trades a code for credentials the registry accepts, the signing key and the groups', async () => {
    const { code } = registry.issueEnrollmentCode('loa-01');
    const res = await enroll({ deviceId: 'loa-01', code });
    expect(res.status).toBe(200);
    const body = EnrollmentResponseSchema.parse(await res.json());
    expect(body).toMatchObject({
      deviceId: 'loa-01',
      mqtt: { url: MQTT_URL, username: 'loa-01' },
      signingPublicKeyPem: publicKeyPem,
      groups: ['xa-an-binh'],
    });
    expect(await registry.verify(body.mqtt.username, body.mqtt.password)).toMatchObject({
      kind: 'device',
      id: 'loa-01',
    });
  });

  it('refuses the same code a second time with 403 already-used', async () => {
    const { code } = registry.issueEnrollmentCode('loa-02');
    expect((await enroll({ deviceId: 'loa-02', code })).status).toBe(200);
    const again = await enroll({ deviceId: 'loa-02', code });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ error: 'already-used' });
  });

  it('gives wrong codes and unknown devices the same answer', async () => {
    const { code } = registry.issueEnrollmentCode('loa-03');
    const wrong = await enroll({ deviceId: 'loa-03', code: 'AAAA-BBBB-CCCC' });
    const unknown = await enroll({ deviceId: 'ghost-99', code });
    expect(wrong.status).toBe(403);
    expect(unknown.status).toBe(403);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('lets exactly one of several simultaneous redemptions win', async () => {
    const { code } = registry.issueEnrollmentCode('loa-04');
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => enroll({ deviceId: 'loa-04', code }).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 403)).toHaveLength(5);
  });

  it('names the bad field in a 400', async () => {
    const badId = await enroll({ deviceId: 'Loa 01', code: 'AAAA-BBBB-CCCC' });
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject({ error: 'invalid-request', field: 'deviceId' });
    const noCode = await enroll({ deviceId: 'loa-01' });
    expect(await noCode.json()).toMatchObject({ field: 'code' });
    const notJson = await enroll('{"deviceId":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ field: 'body' });
    const huge = await enroll({ deviceId: 'loa-01', code: 'x'.repeat(10_000) });
    expect(huge.status).toBe(413);
  });
});

describe('POST /enroll without a signing key', () => {
  it('answers 503 and leaves the code usable', async () => {
    const bare = Registry.open(scratch.file('bare.sqlite'), { logger: quietLogger });
    bare.createDevice({ id: 'loa-09', role: 'speaker-cluster' });
    const server = await serveOnLoopback(
      enrollmentRoutes({ registry: bare, mqttUrl: MQTT_URL, logger: quietLogger }),
    );
    const { code } = bare.issueEnrollmentCode('loa-09');
    const res = await postJson(`${server.base}/enroll`, { deviceId: 'loa-09', code });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'not-ready' });
    bare.setSigningPublicKey(publicKeyPem);
    expect((await postJson(`${server.base}/enroll`, { deviceId: 'loa-09', code })).status).toBe(200);
    await server.close();
    bare.close();
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once an address has used its burst', async () => {
    const server = await serveOnLoopback(
      enrollmentRoutes({
        registry,
        mqttUrl: MQTT_URL,
        logger: quietLogger,
        rateLimit: { burst: 3, perMinute: 2 },
      }),
    );
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await postJson(`${server.base}/enroll`, { deviceId: 'loa-01', code: 'AAAA-BBBB-CCCC' });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([403, 403, 403, 429, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    await server.close();
  });
});
