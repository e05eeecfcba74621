import type { Logger } from 'pino';
import type { BrokerMetrics } from '../metrics/broker-metrics.js';
import type { Registry } from '../registry/registry.js';
import type { ConnectedClients } from './connected-clients.js';

/**
 * Polls the registry's change log and closes the live connection of a device that was disabled,
 * deleted, given a new secret or moved between groups: its next CONNECT is checked afresh, and
 * restored subscriptions pass authorizeSubscribe again with the new groups.
 */
export function followRegistry(deps: {
  registry: Registry;
  clients: ConnectedClients;
  metrics: BrokerMetrics;
  log: Logger;
  intervalMs: number;
}): () => void {
  const { registry, clients, metrics, log } = deps;
  let cursor = registry.changeCursor();
  const timer = setInterval(() => {
    try {
      for (;;) {
        const page = registry.changesSince(cursor);
        cursor = page.cursor;
        for (const change of page.changes) {
          if (change.kind === 'enabled') continue;
          for (const client of clients.connectionsOf(change.deviceId)) {
            // Connected after this page's changes were written: its credentials were checked against them.
            if (clients.authCursorOf(client) >= page.cursor) continue;
            metrics.kicks.inc({ change: change.kind });
            log.info(
              { deviceId: change.deviceId, change: change.kind },
              'closing connection after registry change',
            );
            client.close();
          }
        }
        if (page.changes.length === 0) break;
      }
    } catch (err) {
      log.error({ err }, 'cannot read registry changes');
    }
  }, deps.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
