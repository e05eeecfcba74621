import type { Gateway } from '@xaso/gateway-firmware-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayConfig, startGateway } from '../gateway/gateway-fixture.js';
import { type ConsoleStack, startConsoleStack } from './fixture.js';

describe('console placement reaches a real gateway', () => {
  let stack: ConsoleStack;
  let gateway: Gateway | undefined;
  beforeAll(async () => {
    stack = await startConsoleStack();
  });
  afterAll(async () => {
    await gateway?.stop();
    await stack?.close();
  });

  it('the gateway applies the pushed groups and keeps its own attached devices', async () => {
    const cluster = await stack.createCluster('loa-gw', 'xa-tan-bien');
    const local = { type: 'tcp' as const, host: '127.0.0.1', port: 1502 };
    const config = await gatewayConfig({
      deviceId: cluster.id,
      mqttUrl: stack.mqttUrl,
      username: cluster.username,
      password: cluster.password,
      signingPublicKeyPem: stack.ctx.signer.publicKeyPem,
      devices: [{ name: 'amp', profile: 'pm-sensor-rs485', link: local, unitId: 1, pollIntervalMs: 60_000 }],
    });
    gateway = await startGateway(config);
    await expect
      .poll(() => gateway?.effectiveSettings.groups, { timeout: 15_000 })
      .toEqual(['xa-tan-bien', 'tay-ninh']);
    expect(gateway.effectiveSettings.devices?.map((d) => d.name)).toEqual(['amp']);

    const admin = await stack.login('admin');
    expect((await admin.put('/api/devices/loa-gw/area', { areaId: 'ap-hoa-binh' })).status).toBe(200);
    await expect
      .poll(() => gateway?.effectiveSettings.groups, { timeout: 15_000 })
      .toEqual(['ap-hoa-binh', 'xa-tan-bien', 'tay-ninh']);
    expect(gateway.effectiveSettings.devices?.map((d) => d.name)).toEqual(['amp']);
  });
});
