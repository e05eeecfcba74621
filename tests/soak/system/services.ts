import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type ServerHandle,
  freePort,
  httpStatusIs,
  manageServer,
  spawnReady,
  tcpOpen,
} from '../../harness/index.js';

export const ROOT = resolve(import.meta.dirname, '../../..');

/** The three server processes of a deployment, each SIGKILLable and restartable on the same port. */
export interface SystemServices {
  broker: ServerHandle & { httpPort: number };
  collector: ServerHandle;
  console: ServerHandle & { logFile: string };
}

export interface ServiceLayout {
  dir: string;
  /** The broker's data dir: registry.sqlite lives here. */
  brokerData: string;
  collectorState: string;
  timeSeries: string;
  consoleData: string;
  areasFile: string;
  collectorPassword: string;
  collectorUsername: string;
  /** Device id → area id, for the collector's commune tag. */
  areas: Record<string, string>;
  /** Every process logs at this level (default info). */
  logLevel?: 'info' | 'debug';
}

const node = (script: string, args: string[]): { command: string; args: string[] } => ({
  command: process.execPath,
  args: ['--import', 'tsx', join(ROOT, script), ...args],
});

export async function startBroker(layout: ServiceLayout): Promise<SystemServices['broker']> {
  const [port, httpPort] = [await freePort(), await freePort()];
  const logFile = join(layout.dir, 'broker.log');
  const handle = await manageServer(
    { url: `mqtt://127.0.0.1:${port}`, port, dir: join(layout.dir, 'broker-run') },
    () =>
      spawnReady({
        name: 'broker',
        ...node('broker/src/cli.ts', [
          ...['--port', String(port), '--http-port', String(httpPort)],
          ...['--data', layout.brokerData, '--log-level', layout.logLevel ?? 'info'],
        ]),
        cwd: ROOT,
        logFile,
        ready: () => tcpOpen(port),
        readyWhat: `MQTT on 127.0.0.1:${port}`,
        timeoutMs: 60_000,
      }),
  );
  return Object.assign(handle, { httpPort });
}

export async function startCollector(layout: ServiceLayout, brokerUrl: string): Promise<ServerHandle> {
  const metricsPort = await freePort();
  const configFile = join(layout.dir, 'collector.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      mqtt: {
        url: brokerUrl,
        clientId: 'collector',
        username: layout.collectorUsername,
        password: layout.collectorPassword,
      },
      store: { kind: 'embedded', path: layout.timeSeries },
      outbox: { path: layout.collectorState, minBackoffMs: 200, maxBackoffMs: 2000 },
      metrics: { port: metricsPort },
      areas: layout.areas,
      alarms: { enabled: false },
      indices: { enabled: false },
      logLevel: layout.logLevel ?? 'info',
    }),
  );
  const healthUrl = `http://127.0.0.1:${metricsPort}/healthz`;
  return manageServer({ url: healthUrl, port: metricsPort, dir: join(layout.dir, 'collector-run') }, () =>
    spawnReady({
      name: 'collector',
      ...node('collector/src/cli.ts', ['--config', configFile]),
      cwd: ROOT,
      logFile: join(layout.dir, 'collector.log'),
      ready: () => httpStatusIs(healthUrl, 200),
      readyWhat: `GET ${healthUrl} -> 200`,
      timeoutMs: 60_000,
    }),
  );
}

export async function startConsole(
  layout: ServiceLayout,
  brokerUrl: string,
): Promise<SystemServices['console']> {
  const port = await freePort();
  mkdirSync(layout.consoleData, { recursive: true });
  const configFile = join(layout.dir, 'console.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      host: '127.0.0.1',
      port,
      dataDir: layout.consoleData,
      registryDb: join(layout.brokerData, 'registry.sqlite'),
      mqtt: { url: brokerUrl, clientId: 'console-main' },
      collectorStateDb: layout.collectorState,
      timeSeries: { kind: 'embedded', path: layout.timeSeries },
      areasFile: layout.areasFile,
      // The cheapest scrypt the schema allows: sign-ins after each console restart stay fast.
      passwordHashCost: 10,
      logLevel: layout.logLevel ?? 'info',
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(layout.dir, 'console.log');
  const handle = await manageServer({ url, port, dir: join(layout.dir, 'console-run') }, () =>
    spawnReady({
      name: 'console',
      ...node('console/src/cli.ts', ['--config', configFile]),
      cwd: ROOT,
      logFile,
      ready: () => httpStatusIs(`${url}/healthz`, 200),
      readyWhat: `GET ${url}/healthz -> 200`,
      timeoutMs: 90_000,
    }),
  );
  return Object.assign(handle, { logFile });
}

/** Every process answers its health check: broker /health, collector /healthz, console /healthz (MQTT up). */
export async function healthOf(services: SystemServices): Promise<Record<string, boolean>> {
  return {
    broker: await httpStatusIs(`http://127.0.0.1:${services.broker.httpPort}/health`, 200).catch(() => false),
    collector: await httpStatusIs(services.collector.url, 200).catch(() => false),
    console: await httpStatusIs(`${services.console.url}/healthz`, 200).catch(() => false),
  };
}
