import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Registry } from '@xaso/broker';
import { generateSigningKeys } from '@xaso/device-profiles/signing';
import { requestEnrollment } from '@xaso/gateway-firmware-ts';
import mqtt from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../broker/src/external/cli.js';
import {
  type ServerHandle,
  exitOf,
  freePort,
  killChild,
  mosquittoReloads,
  startMosquitto,
  tempDir,
  waitForMosquittoReload,
} from '../../harness/index.js';
import { until } from '../console-broadcast/wait.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'broker/src/external/cli.ts');

let dir: string;
let files: string;
let registry: Registry;
let mosquitto: ServerHandle | undefined;
let watcher: ChildProcess | undefined;

/** The CLI's main() in this process (the watcher below runs as its own process, as the npm script does). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    (line) => {
      stdout += `${line}\n`;
    },
    (text) => {
      stderr += text;
    },
  );
  return { code, stdout, stderr };
}

const password = (stdout: string) => /\(shown once\): (\S+)$/m.exec(stdout)?.[1] ?? '';

beforeAll(async () => {
  dir = await tempDir('xs-ext-cli-');
  files = join(dir, 'mosquitto');
  registry = Registry.open(join(dir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
  registry.createDevice({ id: 'loa-05', role: 'speaker-cluster', groups: ['xa-b'] });
});

afterAll(async () => {
  if (watcher) await killChild(watcher, 'SIGKILL');
  await mosquitto?.stop();
  registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run mosquitto-config', () => {
  it('issues passwords, writes files a real Mosquitto runs on, serves enrollment and follows the registry', async () => {
    const issued = await cli('--data', dir, '--out', files, '--rotate', 'loa-05');
    expect(issued.code).toBe(0);
    const devicePassword = password(issued.stdout);
    expect(devicePassword).toHaveLength(43);

    const conf = await readFile(join(files, 'xaso.conf'), 'utf8');
    expect(conf).toMatch(/^allow_anonymous false$/m);
    const pidFile = join(dir, 'mosquitto.pid');
    mosquitto = await startMosquitto({ logReloads: true, extraConfig: `${conf}pid_file ${pidFile}\n` });
    const login = { username: 'loa-05', password: devicePassword, reconnectPeriod: 0 };
    const device = await mqtt.connectAsync(mosquitto.url, { ...login, clientId: 'loa-05' });

    registry.setSigningPublicKey(generateSigningKeys().publicKeyPem);
    registry.createDevice({ id: 'loa-06', role: 'speaker-cluster', groups: ['xa-b'] });
    const { code } = registry.issueEnrollmentCode('loa-06');
    const enrollPort = await freePort();
    const server = mosquitto;
    const log = openSync(join(dir, 'watcher.log'), 'a');
    watcher = spawn(
      process.execPath,
      [
        ...['--import', 'tsx', CLI, '--data', dir, '--out', files, '--pid-file', pidFile, '--watch'],
        ...['--enroll-port', String(enrollPort), '--mqtt-url', server.url],
      ],
      { cwd: ROOT, stdio: ['ignore', log, log] },
    );
    closeSync(log);
    // The watcher writes the files and reloads Mosquitto once at start.
    await waitForMosquittoReload(server, 0, 30_000);

    // A gateway enrolls through the watcher's POST /enroll and is let in once Mosquitto has reloaded.
    const enrolled = await until(
      'enrollment answered',
      () => requestEnrollment(`http://127.0.0.1:${enrollPort}`, 'loa-06', code).catch(() => undefined),
      15_000,
    );
    expect(enrolled.mqtt).toMatchObject({ url: server.url, username: 'loa-06' });
    const gateway = await until(
      'enrolled gateway accepted',
      () =>
        mqtt
          .connectAsync(server.url, { ...enrolled.mqtt, clientId: 'loa-06', reconnectPeriod: 0 })
          .catch(() => undefined),
      10_000,
    );
    await gateway.endAsync();
    await expect(requestEnrollment(`http://127.0.0.1:${enrollPort}`, 'loa-06', code)).rejects.toThrow(/403/);

    const closed = new Promise<void>((r) => device.once('close', () => r()));
    const reloads = await mosquittoReloads(server);
    registry.setDisabled('loa-05', true);
    await waitForMosquittoReload(server, reloads, 10_000);
    await closed;
    await expect(mqtt.connectAsync(server.url, login)).rejects.toThrow(/[Nn]ot authori[sz]ed/);

    const running = watcher;
    watcher = undefined;
    const exited = exitOf(running);
    running.kill('SIGTERM');
    expect(await exited).toBe('code 0');
  });

  it('names the bad argument and exits 2; an unknown device exits 1', async () => {
    expect(await cli('--data', dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--out') });
    expect(await cli('--data', dir, '--out', files, '--service', 'printer')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--service'),
    });
    expect(await cli('--data', dir, '--out', files, '--rotate', 'loa-404')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('loa-404'),
    });
  });
});
