import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { BrokerConfigInput, Registry, RunningBroker } from '@xaso/broker';
import { startBroker } from '@xaso/broker';
import { CSRF_HEADER, USER_ROLES, startConsole } from '@xaso/console';
import type {
  ConsoleConfigInput,
  ConsoleContext,
  RunningConsole,
  StartOptions,
  UserRole,
} from '@xaso/console';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { pino } from 'pino';
import { tempDir } from '../../harness/index.js';

/** A small tree for tests: one province, two communes, two villages in the first. */
export const TEST_AREAS = [
  { id: 'tay-ninh', parentId: null, name: 'Tỉnh Tây Ninh', kind: 'province' },
  { id: 'xa-tan-bien', parentId: 'tay-ninh', name: 'Xã Tân Biên', kind: 'commune' },
  { id: 'xa-tan-lap', parentId: 'tay-ninh', name: 'Xã Tân Lập', kind: 'commune', requiresApproval: true },
  { id: 'ap-thanh-binh', parentId: 'xa-tan-bien', name: 'Ấp Thạnh Bình', kind: 'village' },
  { id: 'ap-hoa-binh', parentId: 'xa-tan-bien', name: 'Ấp Hòa Bình', kind: 'village' },
] as const;

export const TEST_PASSWORD = 'correct horse battery staple';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** An HTTP client with its own cookie jar that sends the CSRF header the console asks for. */
export class ApiClient {
  cookie: string | undefined;
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  /** Raw fetch with the session cookie and CSRF header (for multipart uploads, streams, downloads). */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    if (this.csrfToken && !headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, this.csrfToken);
    const res = await fetch(`${this.baseUrl}${path}`, { ...init, headers });
    const set = res.headers.getSetCookie();
    for (const line of set) {
      const [pair] = line.split(';');
      if (!pair) continue;
      const expired = /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line);
      this.cookie = expired ? undefined : pair;
    }
    return res;
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await this.fetch(path, init);
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = Record<string, unknown>>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  put<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }
  patch<T = Record<string, unknown>>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body ?? {});
  }
  delete<T = Record<string, unknown>>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Signs in; throws unless the console answers 200. */
  async signIn(username: string, password: string): Promise<ApiResponse> {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.status !== 200)
      throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrfToken = (res.body as { csrfToken: string }).csrfToken;
    return res;
  }
}

export interface Cluster {
  id: string;
  username: string;
  password: string;
  groups: string[];
}

export interface ConsoleStackOptions {
  /** Merged over the test defaults (free ports, temp dirs, the test area tree). */
  config?: Partial<ConsoleConfigInput>;
  start?: StartOptions;
  /** Areas to seed; defaults to TEST_AREAS. */
  areas?: readonly object[];
  /** Use this broker (e.g. a secured Mosquitto) and its registry file instead of starting ours. */
  externalBroker?: { url: string; registryPath: string; consolePassword: string };
  /** Merged over our broker's test settings (e.g. its persistence, for comparison benches). */
  broker?: Partial<BrokerConfigInput>;
}

export interface ConsoleStack {
  url: string;
  ctx: ConsoleContext;
  console: RunningConsole;
  /** Null with an external broker. */
  broker: RunningBroker | null;
  /** The console's registry handle (same SQLite file as the broker's). */
  registry: Registry;
  mqttUrl: string;
  /** The broker's HTTP base (POST /enroll); empty with an external broker. */
  brokerHttpUrl: string;
  dir: string;
  /** Every console log line, parsed. */
  logs: Record<string, unknown>[];
  /** The first admin's one-time password from this start. */
  initialAdminPassword: string | undefined;
  /**
   * A signed-in client. A role name signs in as `test-<role>` (created on first use with that role and the
   * given areas, default the commune xa-tan-bien for operator/approver); any other name must be an existing
   * user whose password is TEST_PASSWORD (see createUser).
   */
  login(who: UserRole | string, options?: { areaIds?: string[] }): Promise<ApiClient>;
  /** A user with password TEST_PASSWORD and no pending password change. */
  createUser(username: string, roles: UserRole[], areaIds?: string[]): Promise<void>;
  /** An anonymous client (no session). */
  client(): ApiClient;
  /** A loudspeaker cluster in the registry, placed in the area (groups + signed config pushed), with MQTT credentials. */
  createCluster(id: string, areaId?: string): Promise<Cluster>;
  /** An MQTT connection with the given credentials (clientId = username unless set). */
  connect(credentials: { username: string; password: string }, options?: IClientOptions): Promise<MqttClient>;
  close(): Promise<void>;
}

const DEFAULT_AREAS_FOR: Partial<Record<UserRole, string[]>> = {
  operator: ['xa-tan-bien'],
  approver: ['xa-tan-bien'],
};

/** Broker + console on free ports in a temp dir, sharing one registry file, with the test area tree. */
export async function startConsoleStack(options: ConsoleStackOptions = {}): Promise<ConsoleStack> {
  const dir = await tempDir('xs-console-test');
  const brokerDir = join(dir, 'broker');
  const external = options.externalBroker;
  const broker = external
    ? null
    : await startBroker(
        {
          host: '127.0.0.1',
          mqtt: { port: 0 },
          http: { port: 0 },
          dataDir: brokerDir,
          registryPollMs: 100,
          ...options.broker,
        },
        { logger: pino({ level: 'warn' }) },
      );
  const areasFile = join(dir, 'areas.json');
  await writeFile(areasFile, JSON.stringify({ areas: options.areas ?? TEST_AREAS }));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const mqttUrl = external?.url ?? `mqtt://127.0.0.1:${broker?.ports.mqtt}`;
  let running: RunningConsole;
  try {
    running = await startConsole(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: join(dir, 'console'),
        registryDb: external?.registryPath ?? join(brokerDir, 'registry.sqlite'),
        mqtt: { url: mqttUrl, clientId: 'console-test', password: external?.consolePassword },
        areasFile,
        logLevel: 'debug',
        // Cheaper scrypt keeps sign-ins fast on a loaded 2-core machine; production uses 2^15.
        passwordHashCost: 12,
        ...options.config,
      },
      { logger: pino({ level: 'debug' }, sink), ...options.start },
    );
  } catch (err) {
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const core = running.core;
  const mqttClients: MqttClient[] = [];

  const createUser = async (username: string, roles: UserRole[], areaIds: string[] = []) => {
    await core.users.create({ username, displayName: username, roles, areaIds, password: TEST_PASSWORD });
  };

  return {
    url: running.url,
    ctx: running.ctx,
    console: running,
    broker,
    registry: running.ctx.registry,
    mqttUrl,
    brokerHttpUrl: broker ? `http://127.0.0.1:${broker.ports.http}` : '',
    dir,
    logs,
    initialAdminPassword: running.initialAdminPassword,
    createUser,
    client: () => new ApiClient(running.url),
    async login(who, opts = {}) {
      const isRole = (USER_ROLES as readonly string[]).includes(who);
      const username = isRole ? `test-${who}` : who;
      if (isRole && !core.users.byUsername(username)) {
        const role = who as UserRole;
        await createUser(username, [role], opts.areaIds ?? DEFAULT_AREAS_FOR[role] ?? []);
      }
      const client = new ApiClient(running.url);
      await client.signIn(username, TEST_PASSWORD);
      return client;
    },
    async createCluster(id, areaId) {
      running.ctx.registry.createDevice({ id, role: 'speaker-cluster' });
      const placed = areaId ? await core.placement.place(id, areaId, 'test-fixture') : { groups: [] };
      const { password } = running.ctx.registry.rotateSecret(id);
      return { id, username: id, password, groups: placed.groups };
    },
    async connect(credentials, opts = {}) {
      const client = mqtt.connect(mqttUrl, {
        clientId: credentials.username,
        username: credentials.username,
        password: credentials.password,
        reconnectPeriod: 0,
        connectTimeout: 5000,
        ...opts,
      });
      mqttClients.push(client);
      return new Promise<MqttClient>((resolve, reject) => {
        client.once('connect', () => resolve(client));
        client.once('error', reject);
      });
    },
    async close() {
      await Promise.all(mqttClients.map((c) => c.endAsync(true).catch(() => undefined)));
      await running.close();
      await broker?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
