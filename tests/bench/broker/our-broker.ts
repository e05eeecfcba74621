import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killChild, spawnReady, tcpOpen } from '../../harness/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'broker/src/cli.ts');

export interface OurBroker {
  port: number;
  httpPort: number;
  child: ChildProcess;
  pid: number;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** `tsx broker/src/cli.ts` as a child process, ready once its MQTT port accepts connections. */
export async function startOurBroker(opts: {
  port: number;
  httpPort: number;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  logLevel?: string;
  extraArgs?: string[];
}): Promise<OurBroker> {
  const child = await spawnReady({
    name: 'xs-broker',
    command: process.execPath,
    args: [
      // e.g. XS_BENCH_BROKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the broker alone.
      ...(process.env.XS_BENCH_BROKER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      CLI,
      '--port',
      String(opts.port),
      '--http-port',
      String(opts.httpPort),
      '--data',
      opts.dataDir,
      '--log-level',
      opts.logLevel ?? 'warn',
      ...(opts.extraArgs ?? []),
    ],
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    logFile: join(opts.dataDir, 'broker.log'),
    ready: () => tcpOpen(opts.port),
    readyWhat: `broker on 127.0.0.1:${opts.port}`,
  });
  return {
    port: opts.port,
    httpPort: opts.httpPort,
    child,
    pid: child.pid ?? 0,
    kill: () => killChild(child, 'SIGKILL'),
    stop: () => killChild(child, 'SIGTERM'),
  };
}
