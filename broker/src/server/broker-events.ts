import type { Aedes } from 'aedes';
import type { Logger } from 'pino';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import type { ConnectedClients } from './connected-clients.js';
import type { RetainedTopics } from './retained-topics.js';

/** Why a connection ended badly, as a short metric label. */
function errorKind(err: Error): string {
  if (err.name === 'OversizedPacketError') return 'oversized';
  if (/keep ?alive/i.test(err.message)) return 'keepalive';
  if (/drain/i.test(err.message)) return 'drain-timeout';
  if (/not authorized/i.test(err.message)) return 'acl';
  if ('code' in err && typeof err.code === 'string') return err.code.toLowerCase();
  return 'protocol';
}

/** Wires aedes events into the connection table, retained count, metrics and logs. */
export function watchBroker(
  broker: Aedes,
  deps: { clients: ConnectedClients; metrics: BrokerMetrics; retained: RetainedTopics; log: Logger },
): { refreshGauges(): void } {
  const { clients, metrics, retained, log } = deps;
  broker.on('client', (client) => clients.registered(client));
  broker.on('clientDisconnect', (client) => clients.unregistered(client));
  broker.on('publish', (packet) => {
    if (packet.retain && !packet.topic.startsWith('$SYS'))
      retained.published(packet.topic, packet.payload.length);
  });
  broker.on('keepaliveTimeout', (client) => {
    metrics.clientErrors.inc({ kind: 'keepalive' });
    log.info({ clientId: client.id }, 'keep-alive expired; closing the connection');
  });
  broker.on('clientError', (client, err) => {
    const kind = errorKind(err);
    if (kind !== 'acl') metrics.clientErrors.inc({ kind });
    log.info({ clientId: client.id, kind, err: err.message }, 'client connection closed on error');
  });
  broker.on('connectionError', (client, err) => {
    const kind = errorKind(err);
    metrics.clientErrors.inc({ kind });
    log.info(
      { kind, err: err.message, clientId: client.id ?? undefined },
      'connection closed before CONNECT completed',
    );
  });
  return {
    refreshGauges() {
      const summary = clients.summary();
      for (const kind of ['device', 'service'] as const) {
        metrics.connectedClients.set({ kind }, summary[kind].connections);
        metrics.connectionsPerPrincipal.set({ kind }, summary[kind].maxPerPrincipal);
      }
    },
  };
}
