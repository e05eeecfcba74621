import type { Client } from 'aedes';

/**
 * aedes 1.2 writes a QoS 1 PUBACK before it stores the message for offline subscribers, so a crash in
 * between loses a message the publisher saw acknowledged. Corking the publisher's socket when the publish
 * is authorized and uncorking it in the `published` hook (after the offline enqueue) holds the PUBACK
 * until the message is on disk.
 */
export class DurableAcks {
  private readonly held = new WeakMap<Client, number>();

  hold(client: Client): void {
    client.conn.cork();
    this.held.set(client, (this.held.get(client) ?? 0) + 1);
  }

  release(client: Client): void {
    const n = this.held.get(client) ?? 0;
    if (n === 0) return;
    this.held.set(client, n - 1);
    client.conn.uncork();
  }
}
