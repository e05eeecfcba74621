import { rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import type { BrokerConfigInput, RunningBroker } from '@xaso/broker';
import { startBroker } from '@xaso/broker';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { pino } from 'pino';
import { tempDir } from '../../harness/index.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface BrokerFixture {
  broker: RunningBroker;
  url: string;
  dir: string;
  /** Every log line the broker wrote, parsed. */
  logs: Record<string, unknown>[];
  device(id: string, groups?: string[]): Credentials;
  service(role: 'collector' | 'console'): Credentials;
  connect(opts: IClientOptions): Promise<MqttClient>;
  /** The CONNACK return code of a refused connection (0 when accepted, then the client is closed). */
  connackCode(opts: IClientOptions): Promise<number>;
  close(): Promise<void>;
}

/** An in-process broker on free ports with a registry in a temp dir. */
export async function brokerFixture(overrides: Partial<BrokerConfigInput> = {}): Promise<BrokerFixture> {
  const dir = await tempDir('xs-broker-test');
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const broker = await startBroker(
    {
      host: '127.0.0.1',
      mqtt: { port: 0 },
      http: { port: 0 },
      dataDir: dir,
      registryPollMs: 200,
      ...overrides,
    },
    { logger: pino({ level: 'debug' }, sink) },
  );
  const url = `mqtt://127.0.0.1:${broker.ports.mqtt}`;
  const open: MqttClient[] = [];
  const connect = (opts: IClientOptions) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    open.push(client);
    return new Promise<MqttClient>((resolve, reject) => {
      client.once('connect', () => resolve(client));
      client.once('error', reject);
      client.once('close', () => reject(new Error('closed before CONNACK')));
    });
  };
  return {
    broker,
    url,
    dir,
    logs,
    device(id, groups = []) {
      broker.registry.createDevice({ id, role: 'speaker-cluster', groups });
      return { username: id, password: broker.registry.rotateSecret(id).password };
    },
    service(role) {
      return broker.registry.ensureService(role);
    },
    connect,
    async connackCode(opts) {
      try {
        const client = await connect(opts);
        await client.endAsync();
        return 0;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'number') return code;
        throw err;
      }
    },
    async close() {
      await Promise.all(open.map((c) => c.endAsync(true).catch(() => undefined)));
      await broker.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the messages seen on `client` within `ms`. */
export function collect(client: MqttClient, ms: number): Promise<{ topic: string; payload: string }[]> {
  const seen: { topic: string; payload: string }[] = [];
  const onMessage = (topic: string, payload: Buffer) =>
    seen.push({ topic, payload: payload.toString('utf8') });
  client.on('message', onMessage);
  return new Promise((resolve) =>
    setTimeout(() => {
      client.off('message', onMessage);
      resolve(seen);
    }, ms),
  );
}

/** Waits for the first message matching `topic`. */
export function nextMessage(client: MqttClient, topic: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage);
      reject(new Error(`no message on ${topic} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (t: string, payload: Buffer) => {
      if (t !== topic) return;
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(payload.toString('utf8'));
    };
    client.on('message', onMessage);
  });
}

export function closed(client: MqttClient, timeoutMs = 5000): Promise<number> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`client still connected after ${timeoutMs} ms`)),
      timeoutMs,
    );
    client.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
}

/** The SUBACK return codes (128 = refused); mqtt.js's own promise rejects as soon as one is refused. */
export function subackCodes(
  client: MqttClient,
  filter: string | string[],
  qos: 0 | 1 = 1,
): Promise<number[]> {
  return new Promise((resolve) => {
    const onPacket = (packet: { cmd: string; granted?: (number | object)[] }) => {
      if (packet.cmd !== 'suback') return;
      client.off('packetreceive', onPacket);
      resolve((packet.granted ?? []).map((g) => (typeof g === 'number' ? g : Number.NaN)));
    };
    client.on('packetreceive', onPacket);
    client.subscribe(filter, { qos }, () => undefined);
  });
}
