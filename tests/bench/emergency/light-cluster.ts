import { type Ack, AckSchema, topics } from '@xaso/device-profiles/contract';
import { type QueuedMessage, judgeCommand } from '@xaso/gateway-firmware-ts';
import mqtt, { type MqttClient } from 'mqtt';
import type { ClusterCredentials } from '../../../scripts/fleet/speaker-fleet.js';
import type { FleetDiskQueue } from './fleet-disk-queue.js';

export interface LightClusterOptions {
  url: string;
  /** The console's Ed25519 public key (PEM), as a gateway gets it at enrollment. */
  signingKeyPem: string;
  /** The worker's disk queue: every ack is committed here before it is published, deleted on PUBACK. */
  queue: FleetDiskQueue;
}

/**
 * A loudspeaker cluster without a player, schedules or status: a real MQTT session with the cluster's own
 * credentials on its command and group topics, the gateway's own `judgeCommand` (contract, target, Ed25519
 * signature, expiry, replay), and `received`/`playing` acks committed to a disk queue (the gateway's Outbox,
 * shared by the worker's clusters, see FleetDiskQueue) before they are published and removed on PUBACK — what 10,000 clusters
 * cost the server, at a fraction of a full gateway's memory.
 */
export class LightCluster {
  private readonly claimed = new Map<string, number>();
  /** Committed acks waiting for their PUBACK: sent again when the session comes back. */
  private readonly pending = new Map<number, QueuedMessage>();
  accepted = 0;
  refused = 0;

  private constructor(
    readonly id: string,
    private readonly groups: ReadonlySet<string>,
    private readonly client: MqttClient,
    private readonly options: LightClusterOptions,
  ) {}

  static async connect(c: ClusterCredentials, options: LightClusterOptions): Promise<LightCluster> {
    const client = await mqtt.connectAsync(options.url, {
      clientId: c.id,
      username: c.username,
      password: c.password,
      reconnectPeriod: 1000,
      connectTimeout: 60_000,
      keepalive: 120,
    });
    const cluster = new LightCluster(c.id, new Set(c.groups), client, options);
    client.on('message', (_topic, payload) => cluster.onCommand(payload));
    client.on('connect', () => cluster.resend());
    await client.subscribeAsync([topics.command(c.id), ...c.groups.map((g) => topics.groupCommand(g))], {
      qos: 1,
    });
    return cluster;
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true).catch(() => undefined);
  }

  private onCommand(payload: Buffer): void {
    const now = Date.now();
    const verdict = judgeCommand(payload, {
      deviceId: this.id,
      signingKeyPem: this.options.signingKeyPem,
      groups: this.groups,
      now,
      claimId: (id, expiresAt) => {
        for (const [seen, until] of this.claimed) if (until < now) this.claimed.delete(seen);
        if (this.claimed.has(id)) return false;
        this.claimed.set(id, expiresAt);
        return true;
      },
    });
    if (verdict.kind === 'refuse') {
      this.refused += 1;
      // Replays are the same command on the device and the group topic: a gateway drops them quietly too.
      if (verdict.id !== undefined && verdict.reason !== 'replayed')
        this.ack({ kind: 'command', commandId: verdict.id }, 'refused', verdict.reason);
      return;
    }
    this.accepted += 1;
    const ref = { kind: 'command' as const, commandId: verdict.command.id };
    this.ack(ref, 'received');
    const type = verdict.command.body.type;
    if (type === 'play' || type === 'live') this.ack(ref, 'playing');
  }

  private ack(ref: Ack['ref'], status: Ack['status'], reason?: string): void {
    const ts = Date.now();
    const build = () => AckSchema.parse({ v: 1, deviceId: this.id, ref, status, reason, ts });
    this.options.queue.enqueue({ kind: 'ack', topic: topics.ack(this.id), ts, build }, (message) => {
      this.pending.set(message.id, message);
      this.send(message);
    });
  }

  private send(message: QueuedMessage): void {
    if (!this.client.connected) return;
    this.client.publish(message.topic, message.payload, { qos: 1 }, (err) => {
      if (err || !this.options.queue.isOpen) return;
      this.options.queue.release(message.id);
      this.pending.delete(message.id);
    });
  }

  private resend(): void {
    for (const message of this.pending.values()) this.send(message);
  }
}
