import { Counter, Gauge, Registry as MetricsRegistry, collectDefaultMetrics } from 'prom-client';
import { OpLatency } from './op-latency.js';

export type PrincipalKind = 'device' | 'service';

/** The broker's Prometheus series, on their own registry so several brokers can run in one process (tests). */
export class BrokerMetrics {
  readonly registry = new MetricsRegistry();
  readonly connectedClients = new Gauge({
    name: 'xs_broker_connected_clients',
    help: 'Authenticated MQTT connections by principal kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly connectionsPerPrincipal = new Gauge({
    name: 'xs_broker_principal_connections_max',
    help: 'Most simultaneous connections held by one principal, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly messagesIn = new Counter({
    name: 'xs_broker_messages_in_total',
    help: 'PUBLISH packets accepted from clients, by QoS (rate() gives messages per second)',
    labelNames: ['qos'] as const,
    registers: [this.registry],
  });
  readonly messagesOut = new Counter({
    name: 'xs_broker_messages_out_total',
    help: 'PUBLISH packets forwarded to subscribers',
    registers: [this.registry],
  });
  readonly bytesIn = new Counter({
    name: 'xs_broker_bytes_in_total',
    help: 'Bytes received on MQTT connections',
    registers: [this.registry],
  });
  readonly bytesOut = new Counter({
    name: 'xs_broker_bytes_out_total',
    help: 'Bytes sent on closed MQTT connections plus open ones at scrape time',
    registers: [this.registry],
  });
  readonly authFailures = new Counter({
    name: 'xs_broker_auth_failures_total',
    help: 'Refused CONNECTs by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly credentialChecks = new Counter({
    name: 'xs_broker_credential_checks_total',
    help: 'Password checks by how they were answered: remembered verifier, full scrypt, shared scrypt, abandoned',
    labelNames: ['path'] as const,
    registers: [this.registry],
  });
  readonly aclDenials = new Counter({
    name: 'xs_broker_acl_denials_total',
    help: 'Refused publishes and subscriptions',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  readonly kicks = new Counter({
    name: 'xs_broker_kicked_clients_total',
    help: 'Connections closed because the registry disabled, rotated or changed the device',
    labelNames: ['change'] as const,
    registers: [this.registry],
  });
  readonly clientErrors = new Counter({
    name: 'xs_broker_client_errors_total',
    help: 'Connections closed for protocol errors, oversized packets, timeouts',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly retained = new Gauge({
    name: 'xs_broker_retained_messages',
    help: 'Retained messages held by the broker',
    registers: [this.registry],
  });
  readonly persistenceLatency = new OpLatency(
    'xs_broker_persistence_seconds',
    'Duration of persistence operations by operation',
    [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    this.registry,
  );

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'xs_broker_' });
  }
}
