import { join } from 'node:path';
import { type BrokerConfig, type RunningBroker, ensureSigningKey, startBroker } from '@xaso/broker';
import type { Logger } from 'pino';
import type { Endpoint, Service } from '../service.js';

/** The address a client on this machine uses to reach a service listening on `host`. */
export function localAddress(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/** Where clients in this process connect: an external broker when configured, else ours. */
export function clientMqttUrl(broker: RunningBroker, external: string | undefined): string {
  return external ?? `mqtt://${localAddress(broker.config.host)}:${broker.ports.mqtt}`;
}

/** The MQTT broker with the device registry, enrollment endpoint and console signing key in the data dir. */
export function brokerService(config: BrokerConfig, log: Logger): Service & { running(): RunningBroker } {
  let broker: RunningBroker | undefined;
  return {
    name: 'broker',
    running() {
      if (!broker) throw new Error('the broker is not running');
      return broker;
    },
    async start(): Promise<Endpoint[]> {
      broker = await startBroker(config, { logger: log.child({ name: 'broker' }) });
      const key = ensureSigningKey(broker.registry, config.dataDir);
      if (key.created) log.info({ file: key.privateKeyPath }, 'console signing key created');
      const { host } = config;
      const rows: Endpoint[] = [
        {
          service: 'broker',
          what: 'MQTT',
          where: `mqtt://${host}:${broker.ports.mqtt}`,
          detail: 'devices and services, password + ACL',
        },
      ];
      if (broker.ports.mqtts)
        rows.push({
          service: 'broker',
          what: 'MQTT over TLS',
          where: `mqtts://${host}:${broker.ports.mqtts}`,
        });
      if (broker.ports.ws)
        rows.push({
          service: 'broker',
          what: 'MQTT over WebSocket',
          where: `ws://${host}:${broker.ports.ws}`,
        });
      rows.push(
        {
          service: 'broker',
          what: 'HTTP',
          where: `http://${host}:${broker.ports.http}`,
          detail: 'POST /enroll, /health, /metrics',
        },
        {
          service: 'broker',
          what: 'registry',
          where: join(config.dataDir, 'registry.sqlite'),
          detail: `sessions: ${config.persistence.kind}`,
        },
      );
      return rows;
    },
    async stop() {
      await broker?.close();
      broker = undefined;
    },
  };
}
