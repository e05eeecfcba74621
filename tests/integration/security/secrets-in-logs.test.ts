import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '../../../broker/src/index.js';
import { newPassword } from '../../../broker/src/registry/secret-hash.js';
import { tempDir } from '../../harness/index.js';
import { setUpConsole } from '../../soak/system/console-setup.js';
import { type ServiceLayout, startBroker, startCollector, startConsole } from '../../soak/system/services.js';
import { ApiClient } from '../console/fixture.js';

/** The structured (JSON) lines of a process log; the CLI's one-time banner on stdout is not a log line. */
function jsonLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'));
}

describe('secrets never reach the logs', () => {
  const stops: Array<() => Promise<void>> = [];
  let dir = '';
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a full run at debug level logs no password, one-time password, code, token or key', async () => {
    dir = await tempDir('xs-secrets-');
    const layout: ServiceLayout = {
      dir,
      brokerData: join(dir, 'broker'),
      collectorState: join(dir, 'collector.db'),
      timeSeries: join(dir, 'timeseries.db'),
      consoleData: join(dir, 'console'),
      areasFile: join(dir, 'areas.json'),
      collectorUsername: '',
      collectorPassword: newPassword(),
      areas: {},
      logLevel: 'debug',
    };
    mkdirSync(layout.brokerData, { recursive: true });
    writeFileSync(
      layout.areasFile,
      JSON.stringify({
        areas: [
          { id: 'tay-ninh', parentId: null, name: 'Tỉnh Tây Ninh', kind: 'province' },
          { id: 'tn-ben-cau', parentId: 'tay-ninh', name: 'Xã Bến Cầu', kind: 'commune' },
        ],
      }),
    );
    const registry = Registry.open(join(layout.brokerData, 'registry.sqlite'), {
      logger: pino({ level: 'silent' }),
    });
    layout.collectorUsername = registry.ensureService('collector', layout.collectorPassword).username;
    registry.close();

    const broker = await startBroker(layout);
    stops.push(() => broker.stop());
    const collector = await startCollector(layout, broker.url);
    stops.push(() => collector.stop());
    const web = await startConsole(layout, broker.url);
    stops.push(() => web.stop());

    const secrets: Record<string, string> = { collectorMqtt: layout.collectorPassword };
    const oneTime = /with the one-time password\s+(\S+)/.exec(readFileSync(web.logFile, 'utf8'))?.[1] ?? '';
    secrets.adminOneTime = oneTime;
    const session = await setUpConsole(web.url, web.logFile, layout.consoleData);
    secrets.consoleMqtt = session.mqttPassword;
    secrets.signingKey = session.keyPem.split('\n')[1] ?? session.keyPem;
    secrets.adminSession = session.admin.cookie?.split('=')[1] ?? '';
    secrets.adminCsrf = session.admin.csrfToken ?? '';

    // A wrong password typed at the sign-in page.
    secrets.typo = 'Mat-khau-go-nham-2026';
    expect(
      (await new ApiClient(web.url).post('/api/auth/login', { username: 'admin', password: secrets.typo }))
        .status,
    ).toBe(401);
    // A user reset by the administrator.
    const users = await session.admin.get<{ users: { id: string; username: string }[] }>('/api/users');
    const operator = users.body.users.find((u) => u.username === 'vanhanh.tinh');
    const reset = await session.admin.post<{ oneTimePassword: string }>(
      `/api/users/${operator?.id}/reset-password`,
    );
    secrets.resetOneTime = reset.body.oneTimePassword;

    // A gateway enrolled with a one-time code, connecting with its new password, then rotated.
    const created = await session.admin.post('/api/devices', {
      id: 'tn-air-50',
      role: 'sensor-gateway',
      areaId: 'tn-ben-cau',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const code = await session.admin.post<{ code: string }>('/api/devices/tn-air-50/enrollment-code');
    secrets.enrollmentCode = code.body.code;
    const enrolled = await fetch(`http://127.0.0.1:${broker.httpPort}/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'tn-air-50', code: code.body.code }),
    });
    expect(enrolled.status).toBe(200);
    secrets.deviceMqtt = ((await enrolled.json()) as { mqtt: { password: string } }).mqtt.password;
    const device = await mqtt.connectAsync(broker.url, {
      clientId: 'tn-air-50',
      username: 'tn-air-50',
      password: secrets.deviceMqtt,
      reconnectPeriod: 0,
    });
    await device.endAsync();
    secrets.wrongDevicePassword = 'sai-mat-khau-thiet-bi-0001';
    await mqtt
      .connectAsync(broker.url, {
        clientId: 'tn-air-50',
        username: 'tn-air-50',
        password: secrets.wrongDevicePassword,
        reconnectPeriod: 0,
      })
      .then(
        (c) => c.endAsync(),
        () => undefined,
      );
    const rotated = await session.admin.post<{ password: string }>('/api/devices/tn-air-50/rotate-secret');
    secrets.rotatedDevice = rotated.body.password;
    await new Promise((r) => setTimeout(r, 1500));

    const lines = [
      ...jsonLines(join(dir, 'broker.log')),
      ...jsonLines(join(dir, 'collector.log')),
      ...jsonLines(web.logFile),
    ];
    // The logs did capture the run: the device, its enrollment and the refused sign-in are there.
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(20);
    expect(text).toContain('tn-air-50');
    expect(text).toContain('"path":"/api/auth/login","status":401');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, `${name} was captured`).toBeGreaterThanOrEqual(8);
      const found = lines.filter((l) => l.includes(secret));
      expect(found, `${name} appears in the logs`).toEqual([]);
    }
  }, 240_000);
});
