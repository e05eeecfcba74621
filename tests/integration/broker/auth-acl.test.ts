import { filters, topics } from '@xaso/device-profiles/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerFixture, brokerFixture, closed, collect, nextMessage, subackCodes } from './fixture.js';

const offlineWill = (id: string) => ({
  topic: topics.status(id),
  payload: Buffer.from(
    JSON.stringify({ v: 1, deviceId: id, state: 'offline', ts: Date.now(), reason: 'last-will' }),
  ),
  qos: 1 as const,
  retain: true,
});

describe('broker authentication and topic ACLs (mqtt.js)', () => {
  let f: BrokerFixture;
  beforeAll(async () => {
    f = await brokerFixture({ authBackoff: { freeFailures: 3, baseMs: 1500, maxMs: 60_000 } });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('refuses anonymous and wrong passwords with return code 5, accepts the right one', async () => {
    const dev = f.device('spk-auth-1');
    expect(await f.connackCode({ clientId: 'anon-1' })).toBe(5);
    expect(
      await f.connackCode({ clientId: dev.username, username: dev.username, password: 'wrong-password' }),
    ).toBe(5);
    expect(await f.connackCode({ clientId: dev.username, ...dev })).toBe(0);
    const refused = f.logs.filter((l) => l.msg === 'connection refused' && l.reason === 'bad-credentials');
    expect(refused.at(-1)).toMatchObject({ deviceId: dev.username, remote: '127.0.0.1' });
    expect(JSON.stringify(f.logs)).not.toContain(dev.password);
    expect(JSON.stringify(f.logs)).not.toContain('wrong-password');
  });

  it('refuses a device whose client id is not its device id', async () => {
    const dev = f.device('spk-auth-2');
    expect(await f.connackCode({ clientId: 'someone-else', ...dev })).toBe(2);
  });

  it('delivers a device telemetry to the collector and drops one published for another device', async () => {
    const a = f.device('sg-acl-a');
    f.device('sg-acl-b');
    const collector = await f.connect({ clientId: 'collector-acl', ...f.service('collector') });
    await collector.subscribeAsync(filters.allTelemetry, { qos: 1 });
    const device = await f.connect({ clientId: a.username, ...a });
    const seen = collect(collector, 1500);
    await device.publishAsync(topics.telemetry('sg-acl-a'), '{"ok":true}', { qos: 1 });
    const deniedBefore =
      (await f.broker.metrics.aclDenials.get()).values.find((v) => v.labels.action === 'publish')?.value ?? 0;
    device.publish(topics.telemetry('sg-acl-b'), '{"forged":true}', { qos: 0 });
    expect(await closed(device)).toBeLessThan(2000);
    const messages = await seen;
    expect(messages.map((m) => m.topic)).toEqual([topics.telemetry('sg-acl-a')]);
    const deniedAfter =
      (await f.broker.metrics.aclDenials.get()).values.find((v) => v.labels.action === 'publish')?.value ?? 0;
    expect(deniedAfter).toBe(deniedBefore + 1);
  });

  it("answers SUBACK 128 for another device's command topic", async () => {
    const a = f.device('spk-sub-a');
    f.device('spk-sub-b');
    const device = await f.connect({ clientId: a.username, ...a });
    expect(await subackCodes(device, [topics.command('spk-sub-b'), topics.command('spk-sub-a')])).toEqual([
      128, 1,
    ]);
    expect(await subackCodes(device, filters.allTelemetry, 0)).toEqual([128]);
  });

  it('delivers a group command from the console to members; a non-member cannot subscribe', async () => {
    const member = f.device('spk-grp-m', ['xa-an-phu']);
    const outsider = f.device('spk-grp-o', ['xa-khac']);
    const m = await f.connect({ clientId: member.username, ...member });
    const o = await f.connect({ clientId: outsider.username, ...outsider });
    expect(await subackCodes(m, topics.groupCommand('xa-an-phu'))).toEqual([1]);
    expect(await subackCodes(o, topics.groupCommand('xa-an-phu'))).toEqual([128]);
    const consoleSvc = await f.connect({ clientId: 'console-grp', ...f.service('console') });
    const received = nextMessage(m, topics.groupCommand('xa-an-phu'));
    const outsiderSaw = collect(o, 1000);
    await consoleSvc.publishAsync(topics.groupCommand('xa-an-phu'), '{"cmd":"play"}', { qos: 1 });
    expect(await received).toBe('{"cmd":"play"}');
    expect(await outsiderSaw).toEqual([]);
  });

  it('a second connection with the same device id replaces the first', async () => {
    const dev = f.device('spk-takeover');
    const first = await f.connect({ clientId: dev.username, ...dev });
    const firstClosed = closed(first);
    const second = await f.connect({ clientId: dev.username, ...dev });
    await firstClosed;
    expect(second.connected).toBe(true);
  });

  it('kicks a disabled device within a second and refuses it afterwards', async () => {
    const dev = f.device('spk-disable');
    const client = await f.connect({ clientId: dev.username, ...dev });
    const start = Date.now();
    f.broker.registry.setDisabled(dev.username, true);
    await closed(client, 3000);
    expect(Date.now() - start).toBeLessThan(1000);
    expect(await f.connackCode({ clientId: dev.username, ...dev })).toBe(5);
  });

  it('kicks a device whose secret was rotated; the old secret no longer works', async () => {
    const dev = f.device('spk-rotate');
    const client = await f.connect({ clientId: dev.username, ...dev });
    const fresh = f.broker.registry.rotateSecret(dev.username);
    await closed(client, 3000);
    expect(await f.connackCode({ clientId: dev.username, ...dev })).toBe(5);
    expect(
      await f.connackCode({ clientId: dev.username, username: dev.username, password: fresh.password }),
    ).toBe(0);
  });

  it('publishes the retained last will when a device stops pinging or its socket dies', async () => {
    const quiet = f.device('spk-will-ka');
    const crash = f.device('spk-will-rst');
    const watcher = await f.connect({ clientId: 'collector-wills', ...f.service('collector') });
    await watcher.subscribeAsync(filters.allStatus, { qos: 1 });
    const silent = await f.connect({
      clientId: quiet.username,
      ...quiet,
      keepalive: 1,
      will: offlineWill(quiet.username),
    });
    // Stop the client's pinger without closing the socket: the broker must notice after 1.5 x keepalive.
    silent.options.keepalive = 0;
    (silent as unknown as { pingTimer?: { clear(): void } }).pingTimer?.clear();
    const kaWill = nextMessage(watcher, topics.status(quiet.username), 6000);
    expect(JSON.parse(await kaWill)).toMatchObject({ state: 'offline', reason: 'last-will' });

    const doomed = await f.connect({ clientId: crash.username, ...crash, will: offlineWill(crash.username) });
    const rstWill = nextMessage(watcher, topics.status(crash.username));
    doomed.stream.destroy();
    expect(JSON.parse(await rstWill)).toMatchObject({ state: 'offline' });

    const late = await f.connect({ clientId: 'collector-late', ...f.service('collector') });
    const retained = nextMessage(late, topics.status(crash.username));
    await late.subscribeAsync(topics.status(crash.username), { qos: 1 });
    expect(JSON.parse(await retained)).toMatchObject({ state: 'offline' });
  });

  it('refuses a will aimed at a topic the device may not publish', async () => {
    const dev = f.device('spk-bad-will');
    const code = await f.connackCode({ clientId: dev.username, ...dev, will: offlineWill('spk-other') });
    expect(code).toBe(5);
  });

  it('locks an address out after repeated failures, even for the right password, then lets it in again', async () => {
    const dev = f.device('spk-brute');
    for (let i = 0; i < 3; i++)
      expect(
        await f.connackCode({ clientId: dev.username, username: dev.username, password: `guess-${i}` }),
      ).toBe(5);
    expect(await f.connackCode({ clientId: dev.username, ...dev })).toBe(5);
    expect(f.logs.some((l) => l.reason === 'backoff')).toBe(true);
    await new Promise((r) => setTimeout(r, 1700));
    expect(await f.connackCode({ clientId: dev.username, ...dev })).toBe(0);
  });

  it('exposes counters on /metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${f.broker.ports.http}/metrics`);
    const text = await res.text();
    const value = (line: RegExp) => Number(text.match(line)?.[1] ?? Number.NaN);
    expect(value(/^xs_broker_auth_failures_total\{reason="bad-credentials"\} (\d+)/m)).toBeGreaterThanOrEqual(
      4,
    );
    expect(value(/^xs_broker_acl_denials_total\{action="subscribe"\} (\d+)/m)).toBeGreaterThanOrEqual(3);
    expect(value(/^xs_broker_messages_in_total\{qos="1"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^xs_broker_messages_out_total (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^xs_broker_retained_messages (\d+)/m)).toBeGreaterThanOrEqual(2);
    expect(value(/^xs_broker_connected_clients\{kind="service"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(value(/^xs_broker_bytes_in_total (\d+)/m)).toBeGreaterThan(100);
    expect(value(/^xs_broker_persistence_seconds_count\{op="storeRetained"\} (\d+)/m)).toBeGreaterThanOrEqual(
      1,
    );
    const health = (await (await fetch(`http://127.0.0.1:${f.broker.ports.http}/health`)).json()) as {
      status: string;
    };
    expect(health.status).toBe('ok');
  });
});
