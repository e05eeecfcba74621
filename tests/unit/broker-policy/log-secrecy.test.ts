import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { generateSigningKeys } from '@xaso/device-profiles/signing';
import { afterAll, describe, expect, it } from 'vitest';
import { enrollmentRoutes } from '../../../broker/src/enrollment/routes.js';
import { emqxRoutes } from '../../../broker/src/policy/emqx-routes.js';
import { Registry } from '../../../broker/src/registry/registry.js';
import { capturedLogger, scratchDir } from './scratch.js';

const scratch = scratchDir('log-secrecy');
afterAll(() => scratch.remove());

describe('logs', () => {
  it('never contain a password or an enrollment code, whatever happens', async () => {
    const captured = capturedLogger();
    const registry = Registry.open(scratch.file('registry.sqlite'), { logger: captured.logger });
    registry.setSigningPublicKey(generateSigningKeys().publicKeyPem);
    registry.createDevice({ id: 'loa-01', role: 'speaker-cluster' });
    const secrets: string[] = [];
    const { code } = registry.issueEnrollmentCode('loa-01');
    secrets.push(code, code.replaceAll('-', ''));

    const app = enrollmentRoutes({ registry, mqttUrl: 'mqtt://127.0.0.1:1883', logger: captured.logger });
    app.route('/emqx', emqxRoutes({ registry, logger: captured.logger }));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await post('/enroll', { deviceId: 'loa-01', code: 'WRNG-CODE-XXXX' })).status).toBe(403);
    const enrolled = (await (await post('/enroll', { deviceId: 'loa-01', code })).json()) as {
      mqtt: { password: string };
    };
    secrets.push(enrolled.mqtt.password);
    expect((await post('/enroll', { deviceId: 'loa-01', code })).status).toBe(403);
    await post('/emqx/authenticate', {
      username: 'loa-01',
      password: enrolled.mqtt.password,
      clientid: 'c1',
    });
    await post('/emqx/authenticate', {
      username: 'loa-01',
      password: `${enrolled.mqtt.password}x`,
      clientid: 'c1',
    });
    expect(await registry.verify('loa-01', enrolled.mqtt.password)).not.toBeNull();
    const { password: rotated } = registry.rotateSecret('loa-01');
    secrets.push(rotated);
    await registry.verify('loa-01', rotated);
    await registry.verify('loa-01', 'guess-guess-guess');
    const service = registry.ensureService('collector');
    secrets.push(service.password);
    await registry.verify(service.username, service.password);

    await new Promise<void>((r) => server.close(() => r()));
    registry.close();
    const text = captured.text();
    expect(text).toContain('enrollment refused');
    expect(text).toContain('device enrolled');
    expect(text).toContain('authentication failed');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('guess-guess-guess');
  });
});
