import { type ChildProcess, spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningBroker } from '@xaso/broker';
import { startBroker } from '@xaso/broker';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killChild, tempDir } from '../../harness/index.js';
import { ApiClient } from './fixture.js';

const ROOT = join(import.meta.dirname, '../../..');

/** Runs `npm run console`'s entry point and collects its stdout until the URL line (and the password block). */
async function startCli(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; output: () => string; url: string }> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['console/src/cli.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console CLI not ready in 60 s: ${out}${err}`)), 60_000);
    const check = () => {
      const m = /console: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`console CLI exited with ${code}: ${out}${err}`)));
  });
  // The password block follows the URL line in the same write burst; give it a moment.
  await new Promise((r) => setTimeout(r, 300));
  return { child, output: () => out, url };
}

describe('npm run console', () => {
  let broker: RunningBroker;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = await tempDir('xs-console-cli');
    broker = await startBroker(
      { host: '127.0.0.1', mqtt: { port: 0 }, http: { port: 0 }, dataDir: join(dir, 'broker') },
      { logger: pino({ level: 'silent' }) },
    );
    env = {
      XASO_CONSOLE_PORT: String(await freePort()),
      XASO_CONSOLE_DATA_DIR: join(dir, 'console'),
      XASO_CONSOLE_REGISTRY_DB: join(dir, 'broker', 'registry.sqlite'),
      XASO_CONSOLE_MQTT_URL: `mqtt://127.0.0.1:${broker.ports.mqtt}`,
      XASO_CONSOLE_LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the URL and, on the first start only, a one-time admin password that works once', async () => {
    const first = await startCli(env);
    const password = /with the one-time password\s+(\S+)/.exec(first.output())?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    const admin = new ApiClient(first.url);
    const login = await admin.signIn('admin', password ?? '');
    expect((login.body as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    await killChild(first.child, 'SIGTERM');

    const second = await startCli(env);
    expect(second.output()).not.toMatch(/one-time password/);
    const again = new ApiClient(second.url);
    expect((await again.signIn('admin', password ?? '')).status).toBe(200);
    await killChild(second.child, 'SIGTERM');
    // The broker registry now holds the console's signing key, so gateways can enroll; the private half and
    // the MQTT service password are readable by the console's user only.
    expect(broker.registry.signingPublicKey()).toMatch(/BEGIN PUBLIC KEY/);
    for (const file of ['console-signing-key.pem', 'console-mqtt-password'])
      expect((await stat(join(dir, 'console', file))).mode & 0o777).toBe(0o600);
  });
});
