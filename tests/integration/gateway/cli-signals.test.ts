import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getProfile } from '@xaso/device-profiles';
import { ModbusTcpServer, SimulatedDevice } from '@xaso/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, exitOf, logTail, startMosquitto, tempDir } from '../../harness/index.js';
import { Capture } from './capture.js';
import { inspectQueue } from './queue-file.js';

const ROOT = join(import.meta.dirname, '../../..');
const pm = getProfile('pm-sensor-rs485');

/**
 * `npm run gateway` in its own process group, so a signal to the group is what Ctrl-C in a terminal does:
 * npm and the program both get it.
 */
function npmRunGateway(configFile: string, logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn('npm', ['run', '--silent', 'gateway', '--', '--config', configFile], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  closeSync(fd);
  return child;
}

describe('npm run gateway: Ctrl-C and SIGTERM stop it cleanly', () => {
  let mosquitto: ServerHandle;
  let tcp: ModbusTcpServer;
  const running: ChildProcess[] = [];

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    tcp = new ModbusTcpServer({ devices: [new SimulatedDevice({ profile: pm, unitId: 1, seed: 3 })] });
    await tcp.start();
  });

  afterAll(async () => {
    for (const child of running)
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    await tcp?.stop();
    await mosquitto?.stop();
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to the process group: goodbye published, queue drained, exit code 0`, async () => {
      const id = `gw-${signal.toLowerCase()}`;
      const dir = await tempDir('xs-gw-signal-');
      const dataDir = join(dir, 'data');
      const configFile = join(dir, 'gateway.json');
      const logFile = join(dir, 'gateway.log');
      writeFileSync(
        configFile,
        JSON.stringify({
          deviceId: id,
          mqtt: { url: mosquitto.url, reconnectPeriodMs: 200 },
          dataDir,
          devices: [
            {
              name: 'pm',
              profile: pm.name,
              link: { type: 'tcp', host: '127.0.0.1', port: tcp.port },
              unitId: 1,
              pollIntervalMs: 100,
            },
          ],
          statusIntervalS: 1,
        }),
      );
      const capture = await Capture.start(mosquitto.url, id);
      try {
        const child = npmRunGateway(configFile, logFile);
        running.push(child);
        const exited = exitOf(child);
        await capture.until('readings', () => capture.readingsOf('pm').length > 3, 30_000);
        const pid = child.pid ?? -1;
        process.kill(-pid, signal);
        expect(await exited, logTail(logFile)).toBe('code 0');
        await capture.until('shutdown event', () =>
          capture.events.some((e) => e.event.kind === 'lifecycle' && e.event.what === 'shutdown'),
        );
        await capture.until('goodbye status', () => capture.statuses.at(-1)?.reason === 'shutdown');
        expect(capture.statuses.at(-1)?.state).toBe('offline');
        expect(inspectQueue(dataDir).depth).toBe(0);
      } finally {
        await capture.stop();
      }
    }, 60_000);
  }
});
