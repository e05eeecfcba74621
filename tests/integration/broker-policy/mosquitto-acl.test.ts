import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filters, topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoAcl } from '../../../broker/src/policy/mosquitto-acl.js';
import { Registry, serviceUsername } from '../../../broker/src/registry/registry.js';
import { startMosquitto, tempDir } from '../../harness/index.js';
import { quietLogger } from '../../unit/broker-policy/scratch.js';

/** The generated ACL file, enforced by a real Mosquitto: the same rules as our own broker. */
const PASSWORDS = {
  'loa-01': 'pw-loa-01-0123456789',
  'loa-02': 'pw-loa-02-0123456789',
  _console: 'pw-console-0123456789',
  _collector: 'pw-collector-012345678',
};
type User = keyof typeof PASSWORDS;

let mosquitto: Awaited<ReturnType<typeof startMosquitto>>;
const clients: MqttClient[] = [];

beforeAll(async () => {
  const dir = await tempDir('broker-policy-mosquitto');
  const registry = Registry.open(join(dir, 'registry.sqlite'), { logger: quietLogger });
  registry.createDevice({ id: 'loa-01', role: 'speaker-cluster', groups: ['xa-an-binh'] });
  registry.createDevice({ id: 'loa-02', role: 'speaker-cluster', groups: ['xa-tan-lap'] });
  const aclFile = join(dir, 'xaso.acl');
  writeFileSync(aclFile, mosquittoAcl(registry.listDevices(), serviceUsername));
  registry.close();
  const passwordFile = join(dir, 'passwd');
  writeFileSync(passwordFile, '');
  chmodSync(passwordFile, 0o600);
  for (const [user, password] of Object.entries(PASSWORDS))
    execFileSync('mosquitto_passwd', ['-b', passwordFile, user, password]);
  chmodSync(passwordFile, 0o644);
  mosquitto = await startMosquitto({
    extraConfig: `allow_anonymous false\npassword_file ${passwordFile}\nacl_file ${aclFile}\n`,
  });
});

afterAll(async () => {
  for (const c of clients) c.end(true);
  await mosquitto?.stop();
});

async function connect(user: User): Promise<MqttClient> {
  const client = await mqtt.connectAsync(mosquitto.url, {
    username: user,
    password: PASSWORDS[user],
    clientId: `${user}-${clients.length}`,
    reconnectPeriod: 0,
  });
  clients.push(client);
  return client;
}

/** Publishes and reports whether `listener` (subscribed to `filter`) saw it within a short window. */
async function delivered(listener: MqttClient, publisher: MqttClient, topic: string): Promise<boolean> {
  const payload = `${topic}#${Math.random()}`;
  const seen = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 700);
    listener.on('message', (t, p) => {
      if (t === topic && p.toString() === payload) {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
  await publisher.publishAsync(topic, payload, { qos: 1 });
  return seen;
}

describe('generated Mosquitto ACL file on a real Mosquitto', () => {
  it("lets a device publish its own telemetry and not another device's", async () => {
    const collector = await connect('_collector');
    await collector.subscribeAsync(filters.allTelemetry, { qos: 1 });
    const device = await connect('loa-01');
    expect(await delivered(collector, device, topics.telemetry('loa-01'))).toBe(true);
    expect(await delivered(collector, device, topics.telemetry('loa-02'))).toBe(false);
  });

  // Mosquitto grants every SUBACK and enforces "read" when it delivers, so these check delivery.
  it("delivers a device its own commands and its groups' commands, never another's", async () => {
    const device = await connect('loa-01');
    const console = await connect('_console');
    for (const filter of [
      topics.command('loa-01'),
      topics.command('loa-02'),
      topics.groupCommand('xa-an-binh'),
      topics.groupCommand('xa-tan-lap'),
    ]) {
      await device.subscribeAsync(filter, { qos: 1 });
    }
    expect(await delivered(device, console, topics.command('loa-01'))).toBe(true);
    expect(await delivered(device, console, topics.groupCommand('xa-an-binh'))).toBe(true);
    expect(await delivered(device, console, topics.command('loa-02'))).toBe(false);
    expect(await delivered(device, console, topics.groupCommand('xa-tan-lap'))).toBe(false);
  });

  it('shows nobody the retained $SYS tree', async () => {
    const device = await connect('loa-02');
    const sys: string[] = [];
    device.on('message', (topic) => sys.push(topic));
    await device.subscribeAsync('$SYS/#', { qos: 0 });
    await new Promise((r) => setTimeout(r, 700));
    expect(sys).toEqual([]);
  });

  it('refuses wrong passwords', async () => {
    await expect(
      mqtt.connectAsync(mosquitto.url, { username: 'loa-01', password: 'wrong', reconnectPeriod: 0 }),
    ).rejects.toThrow(/[Nn]ot authori[sz]ed/);
  });
});
