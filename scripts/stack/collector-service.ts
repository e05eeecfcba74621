import type { RunningBroker } from '@xaso/broker';
import { type Collector, type CollectorConfig, startCollector } from '@xaso/collector';
import type { Logger } from 'pino';
import type { Endpoint, Service } from '../service.js';
import { clientMqttUrl } from './broker-service.js';

export interface CollectorServiceOptions {
  config: CollectorConfig;
  /** The collector's MQTT service password (service-credentials.json). */
  password: string;
  broker: () => RunningBroker;
  /** An external broker to use instead of ours. */
  mqttUrl?: string;
  log: Logger;
}

/** MQTT → durable outbox → time-series store, logged in as the collector service principal. */
export function collectorService(o: CollectorServiceOptions): Service & { running(): Collector } {
  let collector: Collector | undefined;
  return {
    name: 'collector',
    running() {
      if (!collector) throw new Error('the collector is not running');
      return collector;
    },
    async start(): Promise<Endpoint[]> {
      const broker = o.broker();
      const { username } = broker.registry.ensureService('collector', o.password);
      const url = clientMqttUrl(broker, o.mqttUrl);
      const config: CollectorConfig = {
        ...o.config,
        mqtt: { ...o.config.mqtt, url, username, password: o.password },
      };
      collector = await startCollector(config, { log: o.log.child({ name: 'collector' }) });
      await collector.ready();
      const store = config.store;
      return [
        {
          service: 'collector',
          what: `store (${store.kind})`,
          where: store.kind === 'embedded' ? store.path : store.url,
          detail: `outbox ${config.outbox.path}`,
        },
        {
          service: 'collector',
          what: 'metrics',
          where: `http://${config.metrics.host}:${collector.metricsPort}/metrics`,
          detail: `MQTT as ${username}`,
        },
      ];
    },
    async stop() {
      await collector?.stop();
      collector = undefined;
    },
  };
}
