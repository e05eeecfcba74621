import type { RunningBroker } from '@xaso/broker';
import { type ConsoleConfig, type RunningConsole, startConsole } from '@xaso/console';
import type { Logger } from 'pino';
import type { Endpoint, Service } from '../service.js';
import { clientMqttUrl } from './broker-service.js';

export interface ConsoleServiceOptions {
  config: ConsoleConfig;
  /** The `_console` MQTT service password (service-credentials.json). */
  password: string;
  /** The collector's state database, read for presence and events. */
  collectorStateDb: string;
  /** Seeds the area tree on the first start (the simulated province's communes). */
  areasFile?: string;
  broker: () => RunningBroker;
  /** An external broker to use instead of ours. */
  mqttUrl?: string;
  log: Logger;
}

/** The web console (API + app), on the broker's registry and signing key in the shared data directory. */
export function consoleService(
  o: ConsoleServiceOptions,
): Service & { adminPassword(): string | undefined; running(): RunningConsole } {
  let running: RunningConsole | undefined;
  return {
    name: 'console',
    adminPassword: () => running?.initialAdminPassword,
    running() {
      if (!running) throw new Error('the console is not running');
      return running;
    },
    async start(): Promise<Endpoint[]> {
      const broker = o.broker();
      const url = clientMqttUrl(broker, o.mqttUrl);
      running = await startConsole(
        {
          ...o.config,
          mqtt: { ...o.config.mqtt, url, password: o.password },
          collectorStateDb: o.config.collectorStateDb ?? o.collectorStateDb,
          ...(o.config.areasFile === undefined && o.areasFile ? { areasFile: o.areasFile } : {}),
        },
        { logger: o.log.child({ name: 'console' }) },
      );
      return [
        {
          service: 'console',
          what: 'web console + API',
          where: running.url,
          detail: `public URL ${running.ctx.publicUrl}`,
        },
      ];
    },
    async stop() {
      await running?.close();
      running = undefined;
    },
  };
}
