import type { RunningBroker } from '@xaso/broker';
import type { AlarmService, StoreConfig } from '@xaso/collector';
import { type AlarmLifecycle, type ConsoleConfig, type RunningConsole, startConsole } from '@xaso/console';
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
  /** The collector's store settings: the console opens the same store to read stations' series. */
  timeSeries?: StoreConfig;
  /** The in-process collector's alarms, through which the console acknowledges them (null when disabled). */
  collectorAlarms?: () => AlarmService | null;
  /** An external broker to use instead of ours. */
  mqttUrl?: string;
  log: Logger;
}

function alarmLifecycleOf(alarms: () => AlarmService | null): AlarmLifecycle {
  return {
    acknowledge(id, by) {
      const service = alarms();
      if (!service) return { ok: false, error: 'alarms are disabled in the collector configuration' };
      const outcome = service.acknowledge(id, by);
      return outcome.ok ? { ok: true } : outcome;
    },
  };
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
          ...(o.config.timeSeries === undefined && o.timeSeries ? { timeSeries: o.timeSeries } : {}),
        },
        {
          logger: o.log.child({ name: 'console' }),
          ...(o.collectorAlarms ? { alarmLifecycle: alarmLifecycleOf(o.collectorAlarms) } : {}),
        },
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
