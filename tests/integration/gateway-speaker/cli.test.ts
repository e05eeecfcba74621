import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerHandle, startMosquitto, tempDir } from '../../harness/index.js';
import { consoleKeys, signedCommand } from '../../unit/gateway-speaker/role-harness.js';
import { Capture } from '../gateway/capture.js';
import { GatewayProcess } from '../gateway/gateway-process.js';

const ID = 'spk-1';

describe('the gateway program with a speaker section', () => {
  let mosquitto: ServerHandle | undefined;
  let capture: Capture | undefined;
  let gateway: GatewayProcess | undefined;

  afterAll(async () => {
    await gateway?.kill('SIGTERM');
    await capture?.stop();
    await mosquitto?.stop();
  });

  it('runs the loudspeaker role, answers commands, and restarts cleanly on a reboot command', async () => {
    mosquitto = await startMosquitto();
    capture = await Capture.start(mosquitto.url, ID);
    const dir = await tempDir('xs-spk-cli-');
    gateway = new GatewayProcess(join(dir, 'gateway.json'), join(dir, 'gateway.log'));
    gateway.writeConfig({
      deviceId: ID,
      mqtt: { url: mosquitto.url, reconnectPeriodMs: 200 },
      signingPublicKeyPem: consoleKeys.publicKeyPem,
      dataDir: join(dir, 'data'),
      groups: ['xa-1'],
      statusIntervalS: 1,
      speaker: {
        simulatePlayback: true,
        defaultVolume: 55,
        audio: { consoleUrl: 'http://127.0.0.1:9/' },
      },
    });
    gateway.start();
    const c = capture;
    try {
      await c.until('speaker status', () => c.statuses.some((s) => s.role === 'speaker-cluster'), 20_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${gateway.tail()}`);
    }
    expect(c.statuses.at(-1)?.speaker).toMatchObject({ volume: 55, amplifier: 'off', playing: null });
    const ping = signedCommand({ type: 'ping' }, { target: { kind: 'group', groupId: 'xa-1' } });
    await c.client.publishAsync(topics.groupCommand('xa-1'), JSON.stringify(ping), { qos: 1 });
    await c.until('ping done', () => c.acks.some((a) => a.ref.kind === 'command' && a.status === 'done'));
    const reboot = signedCommand({ type: 'reboot' });
    await c.client.publishAsync(topics.command(ID), JSON.stringify(reboot), { qos: 1 });
    await c.until('goodbye status', () => c.statuses.at(-1)?.reason === 'shutdown', 10_000);
    expect(
      c.acks.filter((a) => a.ref.kind === 'command' && a.ref.commandId === reboot.id).map((a) => a.status),
    ).toEqual(['received', 'done']);
    // The program exited by itself (systemd's Restart=always brings it back).
    expect(await gateway.kill('SIGTERM')).toBe('code 0');
  });
});
