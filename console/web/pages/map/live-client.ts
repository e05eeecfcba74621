import type { LiveDevice } from './map-types.js';

export type LiveConnection = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface LiveHandlers {
  /** The whole visible fleet, at first connect and after every reconnect. */
  snapshot(devices: LiveDevice[]): void;
  device(device: LiveDevice): void;
  removed(id: string): void;
  connection(state: LiveConnection): void;
  /** The server ended the stream because the session did (the shell shows the sign-in page). */
  sessionEnded(): void;
}

function parse<T>(e: Event): T | undefined {
  try {
    return JSON.parse((e as MessageEvent<string>).data) as T;
  } catch {
    return undefined;
  }
}

/**
 * GET /api/live through EventSource: the browser reconnects by itself after a network drop and the server
 * answers each reconnect with a fresh snapshot, so nothing missed while away stays wrong.
 */
export function followLive(handlers: LiveHandlers, url = '/api/live'): () => void {
  const source = new EventSource(url, { withCredentials: true });
  handlers.connection('connecting');
  source.addEventListener('snapshot', (e) => {
    const body = parse<{ devices: LiveDevice[] }>(e);
    if (!body) return;
    handlers.snapshot(body.devices);
    handlers.connection('live');
  });
  source.addEventListener('device', (e) => {
    const device = parse<LiveDevice>(e);
    if (device) handlers.device(device);
  });
  source.addEventListener('removed', (e) => {
    const body = parse<{ id: string }>(e);
    if (body) handlers.removed(body.id);
  });
  source.addEventListener('end', () => {
    source.close();
    handlers.connection('ended');
    handlers.sessionEnded();
  });
  source.onerror = () => {
    // CLOSED: the server refused the reconnect (a 401 after the session ended); CONNECTING: a network drop.
    if (source.readyState === EventSource.CLOSED) {
      handlers.connection('ended');
      handlers.sessionEnded();
    } else handlers.connection('reconnecting');
  };
  return () => source.close();
}
