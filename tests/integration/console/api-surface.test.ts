import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, TEST_PASSWORD, startConsoleStack } from './fixture.js';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
}

const CORE_ROUTES = [
  'post /api/auth/login',
  'post /api/auth/logout',
  'get /api/auth/me',
  'post /api/auth/password',
  'get /api/users',
  'post /api/users',
  'patch /api/users/{id}',
  'post /api/users/{id}/reset-password',
  'get /api/audit',
  'get /api/areas',
  'post /api/areas',
  'get /api/areas/{id}',
  'patch /api/areas/{id}',
  'delete /api/areas/{id}',
  'get /api/devices',
  'post /api/devices',
  'get /api/devices/{id}',
  'get /api/devices/{id}/events',
  'patch /api/devices/{id}',
  'put /api/devices/{id}/area',
  'post /api/devices/{id}/enrollment-code',
  'post /api/devices/{id}/disable',
  'post /api/devices/{id}/enable',
  'post /api/devices/{id}/rotate-secret',
  'delete /api/devices/{id}',
  'get /api/device-profiles',
];

describe('console API surface', () => {
  let stack: ConsoleStack;
  beforeAll(async () => {
    stack = await startConsoleStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves an OpenAPI document listing every route, without a session', async () => {
    const res = await stack.client().get<OpenApiDoc>('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const listed = Object.entries(res.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(listed).toEqual(expect.arrayContaining(CORE_ROUTES));
    // Module routes (audio, broadcasts, reports) are in the same document, all under /api or /media.
    expect(listed.some((r) => r.includes('/api/audio'))).toBe(true);
    for (const route of listed) expect(route).toMatch(/^[a-z]+ \/(api|media)\//);
  });

  it('answers bad input with 400 naming the field', async () => {
    const admin = await stack.login('admin');
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/users', { username: 'Bad Name', displayName: 'x', roles: ['admin'] }, 'username'],
      ['POST', '/api/users', { username: 'ok.name', displayName: 'x', roles: ['king'] }, 'roles.0'],
      [
        'POST',
        '/api/users',
        { username: 'ok.name', displayName: 'x', roles: ['operator'], areaIds: ['nowhere'] },
        'areaIds.0',
      ],
      ['POST', '/api/areas', { id: 'a/b', parentId: null, name: 'x', kind: 'village' }, 'id'],
      [
        'POST',
        '/api/areas',
        { id: 'ap-lat', parentId: 'tay-ninh', name: 'x', kind: 'village', lat: 91 },
        'lat',
      ],
      [
        'POST',
        '/api/areas',
        { id: 'ap-orphan', parentId: 'missing', name: 'x', kind: 'village' },
        'parentId',
      ],
      ['POST', '/api/devices', { id: 'loa-x', role: 'toaster' }, 'role'],
      ['POST', '/api/devices', { id: 'loa-x', role: 'speaker-cluster', areaId: 'missing' }, 'areaId'],
      [
        'POST',
        '/api/devices',
        { id: 'loa-x', role: 'speaker-cluster', position: { lat: 10 } },
        'position.lon',
      ],
      ['GET', '/api/audit?limit=0', undefined, 'limit'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await admin.request(method, path, body);
      expect({ path, status: res.status, field: res.body.field }).toEqual({ path, status: 400, field });
      expect(String(res.body.message)).toContain(field);
    }
    await stack.createCluster('loa-events');
    const noCollector = await admin.get('/api/devices/loa-events/events');
    expect({ status: noCollector.status, field: noCollector.body.field }).toEqual({
      status: 503,
      field: 'collectorStateDb',
    });
    const notJson = await admin.request('POST', '/api/areas', '{not json', {
      'content-type': 'application/json',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.field).toBe('body');
  });

  it('user management: create with a one-time password, scope, disable, reset — each audited', async () => {
    const admin = await stack.login('admin');
    const created = await admin.post<{ user: { id: string }; oneTimePassword: string }>('/api/users', {
      username: 'tran.thi.b',
      displayName: 'Trần Thị B',
      roles: ['operator'],
      areaIds: ['xa-tan-lap'],
    });
    expect(created.status).toBe(201);
    const id = created.body.user.id;
    const b = stack.client();
    await b.signIn('tran.thi.b', created.body.oneTimePassword);
    expect((await b.get('/api/devices')).body.error).toBe('password-change-required');
    await b.post('/api/auth/password', {
      currentPassword: created.body.oneTimePassword,
      newPassword: TEST_PASSWORD,
    });
    expect((await b.get('/api/devices')).status).toBe(200);
    expect((await b.get('/api/users')).status).toBe(403);

    expect((await admin.patch(`/api/users/${id}`, { disabled: true })).status).toBe(200);
    expect((await b.get('/api/devices')).status).toBe(401);
    expect(
      (await stack.client().post('/api/auth/login', { username: 'tran.thi.b', password: TEST_PASSWORD }))
        .status,
    ).toBe(401);
    await admin.patch(`/api/users/${id}`, { disabled: false });
    const reset = await admin.post<{ oneTimePassword: string }>(`/api/users/${id}/reset-password`);
    expect(reset.body.oneTimePassword).toMatch(/^[A-Za-z0-9]{16}$/);
    const me = await admin.get<{ user: { id: string } }>('/api/auth/me');
    const self = await admin.patch(`/api/users/${me.body.user.id}`, { disabled: true });
    expect(self.status).toBe(409);

    const audit = await admin.get<{ entries: { action: string; actor: string }[] }>(
      `/api/audit?target=${id}`,
    );
    expect(audit.body.entries.map((e) => e.action)).toEqual([
      'user.reset-password',
      'user.update',
      'user.update',
      'auth.password-changed',
      'auth.login',
      'user.create',
    ]);
  });

  it('lists the built-in device profiles for provisioning', async () => {
    const tech = await stack.login('technician');
    const res = await tech.get<{ profiles: { name: string; role: string }[] }>('/api/device-profiles');
    expect(res.status).toBe(200);
    expect(res.body.profiles).toContainEqual(
      expect.objectContaining({ name: 'pm-sensor-rs485', role: 'sensor-gateway' }),
    );
  });

  it('health and metrics', async () => {
    const health = await fetch(`${stack.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, mqtt: 'connected' });
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(
      /xaso_console_http_requests_total\{method="GET",route="\/api\/openapi.json",status="200"\} \d+/,
    );
    const requestId = (await fetch(`${stack.url}/healthz`)).headers.get('x-request-id');
    expect(requestId).toBeTruthy();
  });
});
