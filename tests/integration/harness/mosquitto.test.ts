import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerHandle, ensurePackage, startMosquitto } from '../../harness/index.js';

/** Runs a command-line client; resolves with its stdout, rejects on a non-zero exit. */
function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}`)),
    );
  });
}

describe('startMosquitto: a real mosquitto 2.0', () => {
  let broker: ServerHandle;

  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('round-trips a QoS 1 message between two MQTT v5 clients (mqtt npm package)', async () => {
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    const sub = await connectAsync(broker.url, { protocolVersion: 5, clientId: 'proof-sub' });
    const pub = await connectAsync(broker.url, { protocolVersion: 5, clientId: 'proof-pub' });
    try {
      const granted = await sub.subscribeAsync('proof/+/telemetry', { qos: 1 });
      expect(granted[0]?.qos).toBe(1);
      const received = new Promise<{ topic: string; payload: string; qos: number }>((resolve) => {
        sub.once('message', (topic, payload, packet) =>
          resolve({ topic, payload: payload.toString(), qos: packet.qos }),
        );
      });
      // With QoS 1 publishAsync resolves on the broker's PUBACK.
      await pub.publishAsync('proof/st-1/telemetry', '{"pm25":12.5}', { qos: 1 });
      expect(await received).toEqual({ topic: 'proof/st-1/telemetry', payload: '{"pm25":12.5}', qos: 1 });
    } finally {
      await Promise.all([sub.endAsync(), pub.endAsync()]);
    }
  });

  it('round-trips a message with mosquitto_sub and mosquitto_pub', async () => {
    const mosquittoPub = await ensurePackage('mosquitto-clients', '/usr/bin/mosquitto_pub');
    const mosquittoSub = await ensurePackage('mosquitto-clients', '/usr/bin/mosquitto_sub');
    const target = ['-h', '127.0.0.1', '-p', String(broker.port), '-V', 'mqttv5', '-q', '1'];
    const output = run(mosquittoSub, [...target, '-t', 'proof/cli', '-C', '1', '-W', '10']);
    let received = false;
    void output.finally(() => {
      received = true;
    });
    // mosquitto_sub cannot tell us (through a pipe) when it has subscribed: publish until it has a message.
    for (let i = 0; i < 50 && !received; i++) {
      await run(mosquittoPub, [...target, '-t', 'proof/cli', '-m', 'hello from mosquitto_pub']);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await output).trim()).toBe('hello from mosquitto_pub');
  });

  it('applies extraConfig, and stop() removes the temp dir', async () => {
    const locked = await startMosquitto({ extraConfig: 'allow_anonymous false\n' });
    try {
      // allow_anonymous false with no password file: an anonymous CONNECT is refused.
      await expect(connectAsync(locked.url, { protocolVersion: 5, reconnectPeriod: 0 })).rejects.toThrow(
        /Not authorized|Bad User Name or Password/i,
      );
    } finally {
      await locked.stop();
    }
    expect(existsSync(locked.dir)).toBe(false);
  });

  it('restart() refuses a port another process took while the broker was down, and works once it is free', async () => {
    const broker2 = await startMosquitto();
    const squatter = createServer();
    try {
      await broker2.kill();
      await new Promise<void>((resolve) => squatter.listen(broker2.port, '127.0.0.1', resolve));
      // The squatter answers TCP on the port: only the listener's owner tells the broker did not start.
      await expect(broker2.restart()).rejects.toThrow(/Address already in use/);
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
      await broker2.restart();
      const client = await connectAsync(broker2.url, { reconnectPeriod: 0 });
      await client.endAsync();
    } finally {
      squatter.close();
      await broker2.stop();
    }
  });

  it('keeps retained messages across restart() when persistence is on', async () => {
    const durable = await startMosquitto({ persistence: true });
    try {
      const pub = await connectAsync(durable.url, { protocolVersion: 5 });
      await pub.publishAsync('proof/retained', 'still here', { qos: 1, retain: true });
      await pub.endAsync();
      const firstPid = durable.pid;
      // restart() stops with SIGTERM, on which mosquitto writes its persistence file.
      await durable.restart();
      expect(durable.pid).not.toBe(firstPid);
      const sub = await connectAsync(durable.url, { protocolVersion: 5 });
      try {
        const message = new Promise<string>((resolve) => {
          sub.once('message', (_topic, payload) => resolve(payload.toString()));
        });
        await sub.subscribeAsync('proof/retained', { qos: 1 });
        expect(await message).toBe('still here');
      } finally {
        await sub.endAsync();
      }
    } finally {
      await durable.stop();
    }
  });
});
