import { join } from 'node:path';
import { Registry } from '@xaso/broker';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../harness/index.js';
import { StartProcess, descendants, stackPorts, survivors } from './start-process.js';

describe('npm start -- --no-sim: only the real services', () => {
  const started: StartProcess[] = [];
  afterAll(async () => {
    for (const p of started) await p.kill();
  });

  it('runs broker, collector and console (logged in as their services), no simulator or gateway, and stops on Ctrl-C', async () => {
    const dataDir = await tempDir('xs-start-nosim-');
    const ports = await stackPorts();
    const stack = new StartProcess(['--no-sim'], { ...ports, XS_DATA_DIR: dataDir });
    started.push(stack);
    await stack.waitFor(/Ready \(no simulation\)/, 180_000);
    expect(stack.stdout).toContain(`mqtt://127.0.0.1:${ports.XS_MQTT_PORT}`);
    expect(stack.stdout).toContain(`http://127.0.0.1:${ports.XS_BROKER_HTTP_PORT}`);
    expect(stack.stdout).toMatch(
      /collector\s+metrics\s+http:\/\/127\.0\.0\.1:\d+\/metrics\s+MQTT as _collector/,
    );
    expect(stack.stdout).not.toMatch(/tn-(air|water)-|history|simulat(or|ed province)/);
    expect(descendants(stack.pid).length).toBeLessThanOrEqual(1);

    expect(stack.stdout).toContain(`http://127.0.0.1:${ports.XS_CONSOLE_PORT}`);
    expect(stack.stdout).toMatch(/one-time password\s+\S{12,}/);

    // The collector and the console are both logged in to the broker with their service accounts.
    const deadline = Date.now() + 15_000;
    let consoleHealth: unknown;
    do {
      const response = await fetch(`http://127.0.0.1:${ports.XS_CONSOLE_PORT}/healthz`);
      consoleHealth = await response.json();
      if (response.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (Date.now() < deadline);
    expect(consoleHealth).toEqual({ ok: true, mqtt: 'connected' });
    let health: unknown;
    do {
      const response = await fetch(`http://127.0.0.1:${ports.XS_BROKER_HTTP_PORT}/health`);
      health = await response.json();
      if ((health as { connectedClients?: number }).connectedClients === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (Date.now() < deadline);
    expect(health).toMatchObject({ status: 'ok', connectedClients: 2 });
    const metrics = await fetch(`http://127.0.0.1:${ports.XS_METRICS_PORT}/metrics`);
    expect(metrics.status).toBe(200);

    const children = descendants(stack.pid);
    expect(await stack.interrupt()).toBe('code 0');
    expect(await survivors(children)).toEqual([]);
    const registry = Registry.open(join(dataDir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
    try {
      expect(registry.listDevices()).toEqual([]);
      expect(registry.signingPublicKey()).toMatch(/BEGIN PUBLIC KEY/);
    } finally {
      registry.close();
    }
  }, 240_000);
});
