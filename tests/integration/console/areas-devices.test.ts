import { DeviceConfigSchema, EnrollmentResponseSchema, topics } from '@xaso/device-profiles/contract';
import { verifyMessage } from '@xaso/device-profiles/signing';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleStack, startConsoleStack } from './fixture.js';

interface AreaDetail {
  id: string;
  ancestry: string[];
  children: string[];
  clusters: string[];
}
interface DeviceView {
  id: string;
  areaId: string | null;
  groups: string[];
  disabled: boolean;
  enrolled: boolean;
  profile: string | null;
  position: { lat: number; lon: number } | null;
  presence: { state: string } | null;
}

function nextOn(client: MqttClient, topic: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`nothing on ${topic} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic || payload.length === 0) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(payload.toString('utf8'));
    };
    client.on('message', onMessage);
  });
}

describe('areas and devices API', () => {
  let stack: ConsoleStack;
  beforeAll(async () => {
    stack = await startConsoleStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('serves the seeded tree and lets admins add, rename and remove areas (audited)', async () => {
    const admin = await stack.login('admin');
    const tree = await admin.get<{ areas: { id: string }[] }>('/api/areas');
    expect(tree.body.areas.map((a) => a.id)).toContain('ap-thanh-binh');
    const detail = await admin.get<AreaDetail>('/api/areas/ap-thanh-binh');
    expect(detail.body.ancestry).toEqual(['ap-thanh-binh', 'xa-tan-bien', 'tay-ninh']);

    const created = await admin.post('/api/areas', {
      id: 'ap-moi',
      parentId: 'xa-tan-lap',
      name: 'Ấp Mới',
      kind: 'village',
    });
    expect(created.status).toBe(201);
    const renamed = await admin.patch('/api/areas/ap-moi', { name: 'Ấp Mới 2', requiresApproval: true });
    expect(renamed.body.name).toBe('Ấp Mới 2');
    const cycle = await admin.patch('/api/areas/xa-tan-lap', { parentId: 'ap-moi' });
    expect(cycle.status).toBe(409);
    expect(cycle.body.field).toBe('parentId');
    const notEmpty = await admin.delete('/api/areas/xa-tan-lap');
    expect(notEmpty.status).toBe(409);
    expect((await admin.delete('/api/areas/ap-moi')).status).toBe(200);
    expect((await admin.get('/api/areas/ap-moi')).status).toBe(404);

    const operator = await stack.login('operator');
    const refused = await operator.post('/api/areas', {
      id: 'ap-x',
      parentId: null,
      name: 'X',
      kind: 'other',
    });
    expect(refused.status).toBe(403);

    const audit = await admin.get<{ entries: { action: string; target: string }[] }>(
      '/api/audit?action=area.',
    );
    expect(audit.body.entries.map((e) => `${e.action} ${e.target}`)).toEqual(
      expect.arrayContaining(['area.create ap-moi', 'area.update ap-moi', 'area.delete ap-moi']),
    );
  });

  it('placing a cluster sets its registry groups and pushes a signed config the gateway can verify', async () => {
    const tech = await stack.login('technician');
    const created = await tech.post<DeviceView>('/api/devices', {
      id: 'loa-01',
      role: 'speaker-cluster',
      name: 'Cụm loa chợ',
      areaId: 'ap-thanh-binh',
      position: { lat: 11.55, lon: 106.02 },
    });
    expect(created.status).toBe(201);
    expect([...created.body.groups].sort()).toEqual(['ap-thanh-binh', 'tay-ninh', 'xa-tan-bien']);
    expect(stack.registry.getDevice('loa-01')?.areaId).toBe('ap-thanh-binh');

    const password = stack.registry.rotateSecret('loa-01').password;
    const gateway = await stack.connect({ username: 'loa-01', password });
    const first = nextOn(gateway, topics.config('loa-01'));
    await gateway.subscribeAsync(topics.config('loa-01'), { qos: 1 });
    const retained = JSON.parse(await first) as unknown;
    expect(verifyMessage(retained, stack.ctx.signer.publicKeyPem)).toBe(true);
    expect(stack.registry.signingPublicKey()).toBe(stack.ctx.signer.publicKeyPem);

    // Moving it re-groups it; the broker drops the connection so the gateway reconnects with the new groups
    // and finds the new config retained.
    const placed = await tech.put('/api/devices/loa-01/area', { areaId: 'xa-tan-lap' });
    expect(placed.status).toBe(200);
    expect(placed.body.groups).toEqual(['xa-tan-lap', 'tay-ninh']);
    await gateway.endAsync(true);
    const again = await stack.connect({ username: 'loa-01', password });
    const moved = nextOn(again, topics.config('loa-01'));
    await again.subscribeAsync(topics.config('loa-01'), { qos: 1 });
    const granted = await again.subscribeAsync(topics.groupCommand('xa-tan-lap'), { qos: 1 });
    expect(granted[0]?.qos).toBe(1);
    const raw = JSON.parse(await moved) as unknown;
    expect(verifyMessage(raw, stack.ctx.signer.publicKeyPem)).toBe(true);
    const config = DeviceConfigSchema.omit({ devices: true }).parse(raw);
    expect(config.groups).toEqual(['xa-tan-lap', 'tay-ninh']);
    expect(config.deviceId).toBe('loa-01');
    expect(config.version).toBeGreaterThan((retained as { version: number }).version);
    expect([...(stack.registry.getDevice('loa-01')?.groups ?? [])].sort()).toEqual([
      'tay-ninh',
      'xa-tan-lap',
    ]);
    expect((await tech.get<AreaDetail>('/api/areas/tay-ninh')).body.clusters).toContain('loa-01');
  });

  it('enrollment code from the API is redeemed at the broker’s /enroll', async () => {
    const tech = await stack.login('technician');
    expect(
      (await tech.post('/api/devices', { id: 'tram-01', role: 'sensor-gateway', profile: 'nope-profile' }))
        .body.field,
    ).toBe('profile');
    expect((await tech.post('/api/devices', { id: 'tram-01', role: 'sensor-gateway' })).status).toBe(201);
    const code = await tech.post<{ code: string; expiresAt: number }>('/api/devices/tram-01/enrollment-code');
    expect(code.status).toBe(200);
    const enroll = await fetch(`${stack.brokerHttpUrl}/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: 'tram-01', code: code.body.code }),
    });
    expect(enroll.status).toBe(200);
    const enrolled = EnrollmentResponseSchema.parse(await enroll.json());
    expect(enrolled.signingPublicKeyPem).toBe(stack.ctx.signer.publicKeyPem);
    const device = await stack.connect(enrolled.mqtt);
    const status = { v: 1, deviceId: 'tram-01', state: 'online', ts: Date.now(), reason: 'connect' };
    await device.publishAsync(topics.status('tram-01'), JSON.stringify(status), { qos: 1, retain: true });
    await expect
      .poll(async () => (await tech.get<DeviceView>('/api/devices/tram-01')).body.presence?.state, {
        timeout: 10_000,
      })
      .toBe('online');
    expect((await tech.get<DeviceView>('/api/devices/tram-01')).body.enrolled).toBe(true);

    expect((await tech.post<DeviceView>('/api/devices/tram-01/disable')).body.disabled).toBe(true);
    expect((await tech.post('/api/devices/tram-01/rotate-secret')).status).toBe(403);
    const admin = await stack.login('admin');
    const rotated = await admin.post<{ password: string }>('/api/devices/tram-01/rotate-secret');
    expect(rotated.body.password.length).toBeGreaterThan(10);
    expect((await admin.delete('/api/devices/tram-01')).status).toBe(200);
    expect(stack.registry.getDevice('tram-01')).toBeUndefined();
    const audit = await admin.get<{ entries: { action: string }[] }>('/api/audit?target=tram-01');
    expect(audit.body.entries.map((e) => e.action)).toEqual([
      'device.delete',
      'device.rotate-secret',
      'device.disable',
      'device.enrollment-code',
      'device.create',
    ]);
  });

  it('scopes operators to their areas', async () => {
    await stack.createCluster('loa-02', 'ap-hoa-binh');
    await stack.createCluster('loa-03', 'xa-tan-lap');
    const operator = await stack.login('operator', { areaIds: ['xa-tan-bien'] });
    const list = await operator.get<{ items: DeviceView[] }>('/api/devices');
    const ids = list.body.items.map((d) => d.id);
    expect(ids).toContain('loa-02');
    expect(ids).not.toContain('loa-03');
    expect((await operator.get('/api/devices/loa-03')).status).toBe(404);
    expect((await operator.put('/api/devices/loa-02/area', { areaId: 'xa-tan-lap' })).status).toBe(403);
    expect(
      stack.ctx.areas.userMayAct(
        { id: 'x', username: 'x', displayName: 'x', roles: ['operator'], areaIds: ['xa-tan-bien'] },
        'ap-hoa-binh',
      ),
    ).toBe(true);
    expect(
      stack.ctx.areas.userMayAct(
        { id: 'x', username: 'x', displayName: 'x', roles: ['operator'], areaIds: ['xa-tan-bien'] },
        'xa-tan-lap',
      ),
    ).toBe(false);
  });
});
