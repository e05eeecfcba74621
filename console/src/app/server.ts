import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { parseConsoleConfig } from '../config/load.js';
import type { ConsoleConfigInput } from '../config/schema.js';
import { buildApp } from './app.js';
import { openConsoleCore } from './core.js';
import type { ConsoleCore } from './core.js';
import type { AlarmLifecycle, AudioCatalog, ConsoleContext, TimeSeriesReader } from './env.js';
import { ConsoleMetrics } from './metrics.js';
import { audioCatalogFor } from './modules.js';

export interface RunningConsole {
  url: string;
  core: ConsoleCore;
  ctx: ConsoleContext;
  /** Only on the start that created the first administrator; shown once, never stored in clear. */
  initialAdminPassword?: string;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Overrides the audio library (tests of modules that only need a catalog). */
  audio?: AudioCatalog;
  /** The collector's store and alarm lifecycle when it runs in this process (npm start, tests). */
  timeSeries?: TimeSeriesReader;
  alarmLifecycle?: AlarmLifecycle;
}

/** Validates the configuration, opens the core, listens; `close()` undoes all of it. */
export async function startConsole(
  input: ConsoleConfigInput,
  options: StartOptions = {},
): Promise<RunningConsole> {
  const config = parseConsoleConfig(input);
  const log = options.logger ?? pino({ name: 'console', level: config.logLevel });
  const server = createAdaptorServer({ fetch: (req, env) => fetchHandler(req, env) }) as Server;
  let fetchHandler: (req: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  let core: ConsoleCore;
  try {
    core = await openConsoleCore(
      { ...config, publicUrl: config.publicUrl ?? url },
      log,
      options.audio ?? audioCatalogFor(config),
      {
        ...(options.timeSeries ? { timeSeries: options.timeSeries } : {}),
        ...(options.alarmLifecycle ? { alarmLifecycle: options.alarmLifecycle } : {}),
      },
    );
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  }
  let built: Awaited<ReturnType<typeof buildApp>>;
  try {
    built = await buildApp(core, new ConsoleMetrics());
  } catch (err) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await core.close();
    throw err;
  }
  const { app, modules } = built;
  fetchHandler = (req, env) => app.fetch(req, env);
  log.info({ url, publicUrl: core.ctx.publicUrl }, 'console listening');
  return {
    url,
    core,
    ctx: core.ctx,
    ...(core.initialAdminPassword ? { initialAdminPassword: core.initialAdminPassword } : {}),
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await modules.close();
      await core.close();
    },
  };
}
