import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { topics } from '@xaso/device-profiles/contract';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, tempDir } from '../../harness/index.js';
import { type BrokerFixture, brokerFixture, nextMessage } from './fixture.js';

describe('TLS and WebSocket listeners', () => {
  let f: BrokerFixture;
  let certFile = '';
  let dir = '';
  beforeAll(async () => {
    dir = await tempDir('xs-broker-tls');
    certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
    f = await brokerFixture({
      tls: { port: await freePort(), certFile, keyFile },
      ws: { port: await freePort(), path: '/mqtt' },
    });
  });
  afterAll(async () => {
    await f?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts mqtts:// clients that trust the certificate', async () => {
    expect(f.broker.ports.mqtts).toBeGreaterThan(0);
    const dev = f.device('spk-tls');
    const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${f.broker.ports.mqtts}`, {
      clientId: dev.username,
      ...dev,
      ca: readFileSync(certFile),
      reconnectPeriod: 0,
    });
    const echo = nextMessage(client, topics.command(dev.username));
    await client.subscribeAsync(topics.command(dev.username), { qos: 1 });
    const consoleSvc = await f.connect({ clientId: 'console-tls', ...f.service('console') });
    await consoleSvc.publishAsync(topics.command(dev.username), 'over-tls', { qos: 1 });
    expect(await echo).toBe('over-tls');
    await client.endAsync();
  });

  it('refuses anonymous clients on TLS too', async () => {
    const err = await mqtt
      .connectAsync(`mqtts://127.0.0.1:${f.broker.ports.mqtts}`, {
        clientId: 'anon',
        rejectUnauthorized: false,
        reconnectPeriod: 0,
      })
      .then(
        () => null,
        (e: unknown) => e as { code?: number },
      );
    expect(err?.code).toBe(5);
  });

  it('accepts MQTT over WebSocket on ws://host:port/mqtt', async () => {
    const dev = f.device('spk-ws');
    const client = await mqtt.connectAsync(`ws://127.0.0.1:${f.broker.ports.ws}/mqtt`, {
      clientId: dev.username,
      ...dev,
      reconnectPeriod: 0,
    });
    const collector = await f.connect({ clientId: 'collector-ws', ...f.service('collector') });
    const got = nextMessage(collector, topics.telemetry(dev.username));
    await collector.subscribeAsync(topics.telemetry(dev.username), { qos: 1 });
    await client.publishAsync(topics.telemetry(dev.username), 'via-ws', { qos: 1 });
    expect(await got).toBe('via-ws');
    await client.endAsync();
  });
});
