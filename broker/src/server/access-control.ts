import type {
  AuthErrorCode,
  AuthenticateError,
  Client,
  ConnectPacket,
  PublishPacket,
  Subscription,
} from 'aedes';
import type { Logger } from 'pino';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import { canPublish, canSubscribe } from '../policy/acl.js';
import type { Principal } from '../policy/principal.js';
import type { Registry } from '../registry/registry.js';
import type { ConnectedClients } from './connected-clients.js';
import type { DurableAcks } from './durable-acks.js';
import type { FailureBackoff } from './failure-backoff.js';

const NOT_AUTHORIZED = 5 as AuthErrorCode;
const IDENTIFIER_REJECTED = 2 as AuthErrorCode;
const SERVER_UNAVAILABLE = 3 as AuthErrorCode;

function refusal(message: string, code: AuthErrorCode = NOT_AUTHORIZED): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code });
}

export interface AccessControlDeps {
  registry: Registry;
  metrics: BrokerMetrics;
  backoff: FailureBackoff;
  clients: ConnectedClients;
  acks: DurableAcks;
  log: Logger;
  maxConnectionsPerService: number;
  remoteAddress(client: Client): string;
}

/** A service's client id must start with its role (or its username) so operators can tell connections apart. */
function clientIdAllowed(p: Principal, clientId: string): boolean {
  if (p.kind === 'device') return clientId === p.id;
  return clientId.startsWith(p.role) || clientId.startsWith(`_${p.role}`);
}

/** The aedes hooks: who may connect, publish and subscribe, decided by the registry and the contract ACL. */
export function accessControl(deps: AccessControlDeps) {
  const { registry, metrics, backoff, clients, log } = deps;
  const wills = new WeakMap<Client, string>();
  let shuttingDown = false;
  const unavailable = () => refusal('the broker is shutting down', SERVER_UNAVAILABLE);

  const refuse = (client: Client, reason: string, err: AuthenticateError, extra: object = {}) => {
    metrics.authFailures.inc({ reason });
    log.warn(
      { clientId: client.id, remote: deps.remoteAddress(client), reason, ...extra },
      'connection refused',
    );
    return err;
  };

  return {
    /** From now on every login is answered "server unavailable", so no new session reaches persistence. */
    shutDown(): void {
      shuttingDown = true;
    },

    preConnect(client: Client, packet: ConnectPacket, cb: (err: Error | null, ok: boolean) => void): void {
      if (packet.will) wills.set(client, packet.will.topic);
      cb(null, true);
    },

    authenticate(
      client: Client,
      username: Readonly<string | undefined>,
      password: Readonly<Buffer | undefined>,
      cb: (err: AuthenticateError | null, ok: boolean | null) => void,
    ): void {
      if (shuttingDown) {
        cb(unavailable(), null);
        return;
      }
      const remote = deps.remoteAddress(client);
      const wait = backoff.blockedFor(remote);
      if (wait > 0) {
        cb(refuse(client, 'backoff', refusal('too many failed logins'), { username, retryInMs: wait }), null);
        return;
      }
      if (!username || !password) {
        cb(refuse(client, 'anonymous', refusal('anonymous access is not allowed')), null);
        return;
      }
      const cursor = registry.changeCursor();
      // Only a check skipped because the client left is spared the back-off; a failed scrypt never is.
      let skipped = false;
      const abandoned = () => {
        skipped = client.closed || client.conn.destroyed;
        return skipped;
      };
      registry.verify(username, password.toString('utf8'), { abandoned }).then(
        (principal) => {
          if (shuttingDown) {
            cb(unavailable(), null);
            return;
          }
          if (!principal && skipped) {
            cb(refusal('connection closed while waiting for the credential check'), null);
            return;
          }
          if (!principal) {
            const { failures, blockedMs } = backoff.failed(remote);
            cb(
              refuse(client, 'bad-credentials', refusal('bad credentials'), {
                deviceId: username,
                failures,
                blockedMs,
              }),
              null,
            );
            return;
          }
          backoff.succeeded(remote);
          if (!clientIdAllowed(principal, client.id)) {
            const err = refusal('client id must equal the device id', IDENTIFIER_REJECTED);
            cb(refuse(client, 'client-id', err, { principal: principal.id }), null);
            return;
          }
          const will = wills.get(client);
          if (will !== undefined && !canPublish(principal, will)) {
            cb(
              refuse(client, 'will-topic', refusal('last will topic not allowed'), {
                principal: principal.id,
                will,
              }),
              null,
            );
            return;
          }
          if (
            principal.kind === 'service' &&
            clients.countOf(principal.id, client.id) >= deps.maxConnectionsPerService
          ) {
            cb(
              refuse(client, 'too-many-connections', refusal('too many connections'), {
                principal: principal.id,
              }),
              null,
            );
            return;
          }
          clients.authenticated(client, principal, cursor);
          cb(null, true);
        },
        (err: unknown) => {
          log.error({ err, clientId: client.id, remote }, 'credential check failed');
          metrics.authFailures.inc({ reason: 'registry-error' });
          cb(refusal('registry unavailable', SERVER_UNAVAILABLE), null);
        },
      );
    },

    authorizePublish(client: Client | null, packet: PublishPacket, cb: (err?: Error | null) => void): void {
      // A null client is a will left by a broker instance that died; it was checked when its owner connected.
      if (!client) {
        cb(null);
        return;
      }
      const principal = clients.principalOf(client);
      if (principal && canPublish(principal, packet.topic)) {
        metrics.messagesIn.inc({ qos: String(packet.qos) });
        if (packet.qos === 1) deps.acks.hold(client);
        cb(null);
        return;
      }
      metrics.aclDenials.inc({ action: 'publish' });
      log.warn(
        {
          clientId: client.id,
          principal: principal?.id,
          remote: deps.remoteAddress(client),
          topic: packet.topic,
        },
        'publish refused; closing the connection as MQTT 3.1.1 prescribes',
      );
      cb(new Error(`not authorized to publish to ${packet.topic}`));
    },

    authorizeSubscribe(
      client: Client,
      sub: Subscription,
      cb: (err: Error | null, sub?: Subscription | null) => void,
    ): void {
      const principal = clients.principalOf(client);
      if (principal && canSubscribe(principal, sub.topic)) {
        cb(null, sub);
        return;
      }
      metrics.aclDenials.inc({ action: 'subscribe' });
      log.warn({ clientId: client.id, principal: principal?.id, filter: sub.topic }, 'subscription refused');
      cb(null, null);
    },
  };
}
