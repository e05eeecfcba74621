import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { Registry, openDatabase, startBroker } from '@xaso/broker';
import type { RunningBroker } from '@xaso/broker';
import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { pino } from 'pino';
import type {
  AppEnv,
  Area,
  AudioItem,
  ConsoleContext,
  SessionUser,
  UserRole,
} from '../../../console/src/app/env.js';
import { createBroadcasting } from '../../../console/src/broadcast/index.js';
import type { Broadcasting } from '../../../console/src/broadcast/index.js';
import { FileSigner } from '../../../console/src/signer/file-signer.js';
import { MqttUplink } from '../../../console/src/uplink/mqtt-uplink.js';
import { startMosquitto, tempDir } from '../../harness/index.js';
import { TestAreas } from './areas.js';

export const USERS: Record<string, SessionUser> = {
  admin: { id: 'u1', username: 'admin', displayName: 'Quản trị', roles: ['admin'], areaIds: [] },
  opA: {
    id: 'u2',
    username: 'op-tan-lap',
    displayName: 'Cán bộ Tân Lập',
    roles: ['operator'],
    areaIds: ['xa-a'],
  },
  opB: {
    id: 'u3',
    username: 'op-phuoc-vinh',
    displayName: 'Cán bộ Phước Vinh',
    roles: ['operator'],
    areaIds: ['xa-b'],
  },
  approver: {
    id: 'u4',
    username: 'chu-tich',
    displayName: 'Chủ tịch',
    roles: ['approver'],
    areaIds: ['tinh'],
  },
  tech: { id: 'u5', username: 'ky-thuat', displayName: 'Kỹ thuật', roles: ['technician'], areaIds: ['tinh'] },
};

export function audioItem(title: string, durationMs: number): AudioItem {
  const id = createHash('sha256').update(title).digest('hex');
  return { id, title, language: 'vi', durationMs, path: `/media/${id}`, bytes: 1000 };
}

export interface Stack {
  http: string;
  mqttUrl: string;
  ctx: ConsoleContext;
  areas: TestAreas;
  registry: Registry;
  broker: RunningBroker | null;
  broadcasting: Broadcasting;
  audit: { actor: string; action: string; target?: string; detail?: unknown }[];
  audio: Map<string, AudioItem>;
  /** Places a loudspeaker cluster (registry device with the area and its ancestors as groups). */
  place(id: string, areaId: string, extraGroups?: string[]): string[];
  call(
    user: keyof typeof USERS,
    method: string,
    path: string,
    body?: unknown,
    type?: string,
  ): Promise<Response>;
  close(): Promise<void>;
}

/** Per-request user from a header: these tests exercise the broadcast module, not sessions. */
function requireRole(...roles: UserRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = USERS[c.req.header('x-test-user') ?? ''];
    if (!user) return c.json({ error: 'unauthenticated' }, 401);
    if (!user.roles.includes('admin') && !roles.some((r) => user.roles.includes(r)))
      return c.json({ error: 'forbidden' }, 403);
    c.set('user', user);
    await next();
  };
}

/**
 * The broadcast module over real parts: our broker (auth, ACL) or Mosquitto, SQLite, the console's file
 * signer and MQTT uplink, a real HTTP server. Mosquitto spares 200 scrypt password checks.
 */
export async function startStack(options: { broker: 'ours' | 'mosquitto'; areas: Area[] }): Promise<Stack> {
  const dir = await tempDir('xs-broadcast');
  const log = pino({ level: process.env.XS_TEST_LOG ?? 'silent' });
  const dbPath = join(dir, 'registry.sqlite');
  let broker: RunningBroker | null = null;
  let mosquitto: Awaited<ReturnType<typeof startMosquitto>> | null = null;
  let registry: Registry;
  let mqttUrl: string;
  let credentials = { username: 'console', password: 'unused-with-anonymous-mosquitto' };
  if (options.broker === 'ours') {
    const password = 'console-service-password-for-tests';
    broker = await startBroker(
      {
        host: '127.0.0.1',
        mqtt: { port: 0 },
        http: { port: 0 },
        dataDir: dir,
        services: { console: password },
        logLevel: 'silent',
      },
      { logger: log },
    );
    registry = broker.registry;
    mqttUrl = `mqtt://127.0.0.1:${broker.ports.mqtt}`;
    credentials = { username: registry.ensureService('console', password).username, password };
  } else {
    mosquitto = await startMosquitto();
    registry = Registry.open(dbPath, { logger: log });
    mqttUrl = mosquitto.url;
  }
  const db = openDatabase(dbPath);
  const areas = new TestAreas(options.areas);
  const audio = new Map<string, AudioItem>();
  const audit: Stack['audit'] = [];
  const uplink = await MqttUplink.connect(
    { url: mqttUrl, clientId: 'console-broadcast-test', ...credentials, log },
    10_000,
  );
  const ctx: ConsoleContext = {
    db,
    registry,
    log,
    dataDir: dir,
    publicUrl: 'http://127.0.0.1',
    audit: { record: (e) => audit.push(e) },
    signer: FileSigner.open(dir).signer,
    uplink,
    areas,
    audio: { get: (id) => audio.get(id) },
    requireRole,
  };
  const broadcasting = createBroadcasting(ctx);
  await broadcasting.ready;
  const app = new Hono<AppEnv>();
  app.route('/api', broadcasting.routes);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const http = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    http,
    mqttUrl,
    ctx,
    areas,
    registry,
    broker,
    broadcasting,
    audit,
    audio,
    place(id, areaId, extraGroups = []) {
      const groups = [...areas.ancestry(areaId).map((a) => a.id), ...extraGroups];
      registry.createDevice({ id, role: 'speaker-cluster', areaId, groups });
      areas.placement.set(id, areaId);
      return groups;
    },
    call(user, method, path, body, type = 'application/json') {
      return fetch(`${http}/api${path}`, {
        method,
        headers: { 'x-test-user': user, 'content-type': type },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    },
    async close() {
      broadcasting.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await uplink.close();
      db.close();
      if (broker) await broker.close();
      else registry.close();
      if (mosquitto) await mosquitto.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
