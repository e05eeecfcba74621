import { Writable } from 'node:stream';
import { type RunningBroker, startBroker } from '@xaso/broker';
import pino from 'pino';
import { type ServerHandle, freePort, startMosquitto, tempDir } from '../../harness/index.js';

export type BrokerKind = 'mosquitto' | 'ours';

export interface Credentials {
  username?: string;
  password?: string;
}

/** The same handle over Mosquitto (anonymous) and our aedes broker (per-device credentials, ACLs). */
export interface TestBroker {
  kind: BrokerKind;
  url: string;
  /** Credentials for a gateway: registered in our registry, nothing for Mosquitto. */
  device(id: string): Credentials;
  /** A service that may read every device's up topics and publish down topics (the console on ours; its
   * client id must start with "console"). */
  operator(): Credentials;
  /** Takes the broker away (SIGKILL for Mosquitto, close() for ours). */
  down(): Promise<void>;
  /** Brings it back on the same port with the same data (sessions, retained messages). */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestBroker(kind: BrokerKind): Promise<TestBroker> {
  return kind === 'mosquitto' ? mosquittoBroker() : ourBroker();
}

/** Mosquitto saves its database after every change, so a subscriber's session survives even a SIGKILL. */
export const MOSQUITTO_SAVE_EVERY_CHANGE = 'autosave_on_changes true\nautosave_interval 1';

async function mosquittoBroker(): Promise<TestBroker> {
  const server: ServerHandle = await startMosquitto({
    persistence: true,
    extraConfig: MOSQUITTO_SAVE_EVERY_CHANGE,
  });
  return {
    kind: 'mosquitto',
    url: server.url,
    device: () => ({}),
    operator: () => ({}),
    down: () => server.kill(),
    up: () => server.restart(),
    stop: () => server.stop(),
  };
}

async function ourBroker(): Promise<TestBroker> {
  const dataDir = await tempDir('xs-gw-aedes-');
  const port = await freePort();
  const quiet = pino(
    { level: 'warn' },
    // BROKER_LOG=1 shows the broker's warnings when a test against it fails.
    new Writable({
      write: (c, _e, cb) => {
        if (process.env.BROKER_LOG) process.stderr.write(c);
        cb();
      },
    }),
  );
  const start = () =>
    startBroker(
      {
        host: '127.0.0.1',
        mqtt: { port },
        http: { port: 0 },
        dataDir,
        registryPollMs: 200,
        logLevel: 'warn',
      },
      { logger: quiet },
    );
  let broker: RunningBroker | undefined = await start();
  const running = (): RunningBroker => {
    if (!broker) throw new Error('our broker is down');
    return broker;
  };
  return {
    kind: 'ours',
    url: `mqtt://127.0.0.1:${port}`,
    device(id) {
      running().registry.createDevice({ id, role: 'sensor-gateway', groups: [] });
      return { username: id, password: running().registry.rotateSecret(id).password };
    },
    operator: () => running().registry.ensureService('console'),
    async down() {
      await broker?.close();
      broker = undefined;
    },
    async up() {
      broker = await start();
    },
    async stop() {
      await broker?.close();
      broker = undefined;
    },
  };
}
