import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Registry } from '@xaso/broker';
import { filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedCredentials } from '../../../broker/src/external/index.js';
import { matchesMosquittoHash, mosquittoPasswordHash } from '../../../broker/src/external/index.js';
import { mosquittoReloads, tempDir, waitForMosquittoReload } from '../../harness/index.js';
import { type SecuredMosquitto, startSecuredMosquitto } from './secured-mosquitto.js';

let dir: string;
let registry: Registry;
let mosquitto: SecuredMosquitto;
let console: IssuedCredentials;
let loa1: IssuedCredentials;
let loa2: IssuedCredentials;
const clients: MqttClient[] = [];

beforeAll(async () => {
  dir = await tempDir('xs-ext-security-');
  registry = Registry.open(join(dir, 'registry.sqlite'), { logger: pino({ level: 'silent' }) });
  mosquitto = await startSecuredMosquitto(registry, { follow: true });
  console = await mosquitto.service('console');
  loa1 = await mosquitto.device('loa-01', 'speaker-cluster', ['xa-an-binh']);
  loa2 = await mosquitto.device('loa-02', 'speaker-cluster', ['xa-tan-lap']);
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await mosquitto?.stop();
  registry?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function connect(who: IssuedCredentials, options: IClientOptions = {}): Promise<MqttClient> {
  const client = await mqtt.connectAsync(mosquitto.url, {
    ...who,
    clientId: `${who.username}-${clients.length}`,
    reconnectPeriod: 0,
    ...options,
  });
  clients.push(client);
  return client;
}

/**
 * Publishes to `topic`, then to `sentinel`, which `listener` does receive. Mosquitto delivers one
 * publisher's messages in order, so once the sentinel is in, `topic` either arrived before it or was dropped.
 */
async function reaches(
  listener: MqttClient,
  publisher: MqttClient,
  topic: string,
  sentinel: string,
): Promise<boolean> {
  const tag = `${Math.random()}`;
  const seen: string[] = [];
  const onMessage = (t: string, p: Buffer) => {
    if (p.toString() === tag) seen.push(t);
  };
  listener.on('message', onMessage);
  try {
    await publisher.publishAsync(topic, tag, { qos: 1 });
    await publisher.publishAsync(sentinel, tag, { qos: 1 });
    const deadline = Date.now() + 10_000;
    while (!seen.includes(sentinel)) {
      if (Date.now() > deadline) throw new Error(`the sentinel ${sentinel} never arrived`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return seen.includes(topic);
  } finally {
    listener.off('message', onMessage);
  }
}

const refused = (options: IClientOptions) =>
  mqtt.connectAsync(mosquitto.url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });

describe('Mosquitto secured from our registry', () => {
  it("writes Mosquitto's own PBKDF2-SHA512 format, both ways", () => {
    const file = join(dir, 'mosquitto_passwd');
    writeFileSync(file, '');
    execFileSync('mosquitto_passwd', ['-b', file, 'loa-09', 'mật khẩu thử']);
    const theirs = readFileSync(file, 'utf8').trim().split(':')[1] ?? '';
    expect(theirs).toMatch(/^\$7\$101\$/);
    expect(matchesMosquittoHash('mật khẩu thử', theirs)).toBe(true);
    expect(matchesMosquittoHash('mat khau thu', theirs)).toBe(false);
    const ours = mosquittoPasswordHash('mật khẩu thử');
    expect(matchesMosquittoHash('mật khẩu thử', ours)).toBe(true);
    // The generated file holds one such hash per user, never a password.
    const passwd = readFileSync(join(mosquitto.filesDir, 'passwd'), 'utf8');
    expect(passwd).toMatch(/^loa-01:\$7\$1000\$/m);
    expect(passwd).not.toContain(loa1.password);
  });

  it('refuses anonymous clients, wrong passwords and unknown users', async () => {
    await expect(refused({ clientId: 'nobody' })).rejects.toThrow(/[Nn]ot authori[sz]ed/);
    await expect(refused({ username: 'loa-01', password: 'wrong' })).rejects.toThrow(/[Nn]ot authori[sz]ed/);
    await expect(refused({ username: 'loa-99', password: loa1.password })).rejects.toThrow(
      /[Nn]ot authori[sz]ed/,
    );
    // A device's password is no service's password.
    await expect(refused({ username: '_console', password: loa1.password })).rejects.toThrow(
      /[Nn]ot authori[sz]ed/,
    );
  });

  it("lets a device publish its own telemetry and never another device's", async () => {
    const watcher = await connect(console);
    await watcher.subscribeAsync(filters.allTelemetry, { qos: 1 });
    const device = await connect(loa1);
    const own = topics.telemetry('loa-01');
    expect(await reaches(watcher, device, own, own)).toBe(true);
    expect(await reaches(watcher, device, topics.telemetry('loa-02'), own)).toBe(false);
    expect(await reaches(watcher, device, topics.status('loa-02'), own)).toBe(false);
  });

  // Mosquitto grants every SUBACK and enforces "read" at delivery, so these check delivery.
  it("delivers a device its own commands and its groups', never another device's or group's, nor $SYS", async () => {
    const device = await connect(loa1);
    const operator = await connect(console);
    const sys: string[] = [];
    device.on('message', (topic) => {
      if (topic.startsWith('$SYS')) sys.push(topic);
    });
    await device.subscribeAsync(
      [
        topics.command('loa-01'),
        topics.command('loa-02'),
        topics.schedule('loa-02'),
        topics.groupCommand('xa-an-binh'),
        topics.groupCommand('xa-tan-lap'),
        '$SYS/#',
      ],
      { qos: 1 },
    );
    const own = topics.command('loa-01');
    expect(await reaches(device, operator, topics.groupCommand('xa-an-binh'), own)).toBe(true);
    expect(await reaches(device, operator, topics.command('loa-02'), own)).toBe(false);
    expect(await reaches(device, operator, topics.schedule('loa-02'), own)).toBe(false);
    expect(await reaches(device, operator, topics.groupCommand('xa-tan-lap'), own)).toBe(false);
    // Mosquitto's retained $SYS tree would have arrived with the SUBACK had the ACL allowed it.
    expect(sys).toEqual([]);
  });

  it('keeps a retained online status and publishes the last will when the device drops', async () => {
    const offline = JSON.stringify({ state: 'offline' });
    const device = await connect(loa2, {
      will: { topic: topics.status('loa-02'), payload: Buffer.from(offline), qos: 1, retain: true },
    });
    await device.publishAsync(topics.status('loa-02'), JSON.stringify({ state: 'online' }), {
      qos: 1,
      retain: true,
    });
    const late = await connect(console);
    const retained = new Promise<string>((resolve) => late.once('message', (_t, p) => resolve(p.toString())));
    await late.subscribeAsync(topics.status('loa-02'), { qos: 1 });
    expect(await retained).toContain('online');

    const will = new Promise<string>((resolve) => late.once('message', (_t, p) => resolve(p.toString())));
    device.stream.destroy();
    expect(await will).toBe(offline);
    const after = await connect(console);
    const stored = new Promise<string>((resolve) => after.once('message', (_t, p) => resolve(p.toString())));
    await after.subscribeAsync(topics.status('loa-02'), { qos: 1 });
    expect(await stored).toBe(offline);
  });

  it('drops a disabled device at once and refuses it until enabled; a rotated secret retires the old one', async () => {
    const device = await connect(loa1);
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    let reloads = await mosquittoReloads(mosquitto.server);
    registry.setDisabled('loa-01', true);
    await waitForMosquittoReload(mosquitto.server, reloads);
    await closed;
    await expect(refused(loa1)).rejects.toThrow(/[Nn]ot authori[sz]ed/);

    reloads = await mosquittoReloads(mosquitto.server);
    registry.setDisabled('loa-01', false);
    await waitForMosquittoReload(mosquitto.server, reloads);
    await connect(loa1);

    // Rotated outside this module (e.g. re-enrolled): Mosquitto has no hash of the new secret, so it fails closed.
    reloads = await mosquittoReloads(mosquitto.server);
    registry.rotateSecret('loa-01');
    await waitForMosquittoReload(mosquitto.server, reloads);
    await expect(refused(loa1)).rejects.toThrow(/[Nn]ot authori[sz]ed/);
    const reissued = await mosquitto.device('loa-01', 'speaker-cluster');
    await connect(reissued);
  });
});
