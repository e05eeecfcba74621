import { execFile } from 'node:child_process';
import { topics } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePackage } from '../../harness/index.js';
import { type BrokerFixture, brokerFixture, nextMessage } from './fixture.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(bin: string, args: string[], timeoutMs = 8000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('broker with the Mosquitto command-line clients', () => {
  let f: BrokerFixture;
  let pub = '';
  let sub = '';
  beforeAll(async () => {
    pub = await ensurePackage('mosquitto-clients', '/usr/bin/mosquitto_pub');
    sub = pub.replace(/mosquitto_pub$/, 'mosquitto_sub');
    f = await brokerFixture({ authBackoff: { freeFailures: 1000, baseMs: 1, maxMs: 1 } });
  });
  afterAll(async () => {
    await f?.close();
  });

  const common = () => ['-h', '127.0.0.1', '-p', String(f.broker.ports.mqtt), '-V', 'mqttv311'];

  it('mosquitto_pub with a wrong password fails; with the right one the collector receives it', async () => {
    const dev = f.device('sg-mosq-1');
    const bad = await run(pub, [
      ...common(),
      '-i',
      dev.username,
      '-u',
      dev.username,
      '-P',
      'not-it',
      '-t',
      topics.telemetry(dev.username),
      '-m',
      '{}',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not authori[sz]ed|Connection Refused/i);

    const collector = await f.connect({ clientId: 'collector-mosq', ...f.service('collector') });
    const got = nextMessage(collector, topics.telemetry(dev.username));
    await collector.subscribeAsync(topics.telemetry(dev.username), { qos: 1 });
    const ok = await run(pub, [
      ...common(),
      '-i',
      dev.username,
      '-u',
      dev.username,
      '-P',
      dev.password,
      '-q',
      '1',
      '-t',
      topics.telemetry(dev.username),
      '-m',
      '{"from":"mosquitto_pub"}',
    ]);
    expect(ok.code).toBe(0);
    expect(await got).toBe('{"from":"mosquitto_pub"}');
  });

  it("mosquitto_sub on another device's command topic is denied and prints nothing", async () => {
    const dev = f.device('sg-mosq-2');
    f.device('sg-mosq-3');
    const consoleSvc = await f.connect({ clientId: 'console-mosq', ...f.service('console') });
    const subscribed = run(
      sub,
      [
        ...common(),
        '-i',
        dev.username,
        '-u',
        dev.username,
        '-P',
        dev.password,
        '-q',
        '1',
        '-t',
        topics.command('sg-mosq-3'),
        '-W',
        '2',
        '-v',
      ],
      6000,
    );
    await new Promise((r) => setTimeout(r, 700));
    await consoleSvc.publishAsync(topics.command('sg-mosq-3'), 'secret-cmd', { qos: 1 });
    const result = await subscribed;
    expect(result.stdout).not.toContain('secret-cmd');
    expect(result.stderr + result.stdout).toMatch(/denied|fail/i);
  });

  it('mosquitto_sub on its own command topic receives a console command', async () => {
    const dev = f.device('sg-mosq-4');
    const consoleSvc = await f.connect({ clientId: 'console-mosq-own', ...f.service('console') });
    const subscribed = run(
      sub,
      [
        ...common(),
        '-i',
        dev.username,
        '-u',
        dev.username,
        '-P',
        dev.password,
        '-q',
        '1',
        '-t',
        topics.command(dev.username),
        '-C',
        '1',
        '-W',
        '5',
      ],
      8000,
    );
    await new Promise((r) => setTimeout(r, 700));
    await consoleSvc.publishAsync(topics.command(dev.username), 'own-cmd', { qos: 1 });
    const result = await subscribed;
    expect(result.stdout.trim()).toBe('own-cmd');
  });
});
