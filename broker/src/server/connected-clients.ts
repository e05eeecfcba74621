import type { Client } from 'aedes';
import type { Principal } from '../policy/principal.js';

/** Which principal each live connection authenticated as, and the live connections of each principal. */
export class ConnectedClients {
  private readonly principals = new WeakMap<Client, Principal>();
  private readonly byPrincipal = new Map<string, Set<Client>>();
  private readonly authCursors = new WeakMap<Client, number>();

  /** `registryCursor`: the newest registry change the credential check already saw. */
  authenticated(client: Client, principal: Principal, registryCursor: number): void {
    this.principals.set(client, principal);
    this.authCursors.set(client, registryCursor);
  }

  /** The registry change cursor current when the client authenticated (changes up to it are already honoured). */
  authCursorOf(client: Client): number {
    return this.authCursors.get(client) ?? -1;
  }

  principalOf(client: Client): Principal | undefined {
    return this.principals.get(client);
  }

  /** Called when aedes registers the client (after a session takeover has closed any older one). */
  registered(client: Client): void {
    const p = this.principals.get(client);
    if (!p) return;
    const set = this.byPrincipal.get(p.id) ?? new Set<Client>();
    set.add(client);
    this.byPrincipal.set(p.id, set);
  }

  unregistered(client: Client): void {
    const p = this.principals.get(client);
    if (!p) return;
    const set = this.byPrincipal.get(p.id);
    set?.delete(client);
    if (set?.size === 0) this.byPrincipal.delete(p.id);
  }

  /** Live connections of a principal, not counting one that `clientId` is about to take over. */
  countOf(principalId: string, clientId: string): number {
    let n = 0;
    for (const c of this.byPrincipal.get(principalId) ?? []) if (c.id !== clientId) n++;
    return n;
  }

  connectionsOf(principalId: string): Client[] {
    return [...(this.byPrincipal.get(principalId) ?? [])];
  }

  /** Connection count and the busiest principal's count, by principal kind. */
  summary(): Record<Principal['kind'], { connections: number; maxPerPrincipal: number }> {
    const out = {
      device: { connections: 0, maxPerPrincipal: 0 },
      service: { connections: 0, maxPerPrincipal: 0 },
    };
    for (const set of this.byPrincipal.values()) {
      const first = set.values().next().value;
      const p = first ? this.principals.get(first) : undefined;
      if (!p) continue;
      out[p.kind].connections += set.size;
      out[p.kind].maxPerPrincipal = Math.max(out[p.kind].maxPerPrincipal, set.size);
    }
    return out;
  }
}
