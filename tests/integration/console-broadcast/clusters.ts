import { createPublicKey } from 'node:crypto';
import { AckSchema, CommandSchema, ScheduleSchema, topics } from '@xaso/device-profiles/contract';
import type { Ack, Command, Schedule } from '@xaso/device-profiles/contract';
import { verifyMessage } from '@xaso/device-profiles/signing';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';

export interface SimulatedCluster {
  id: string;
  client: MqttClient;
  commands: Command[];
  schedules: Schedule[];
  refused: string[];
  /** Pending "done" acks, cleared when the cluster stops. */
  timers: Set<NodeJS.Timeout>;
}

/**
 * Gateway-like MQTT clients: they subscribe to their command, schedule and group topics, verify each
 * signature with the console's public key, and ack commands (received → playing → done) and schedules.
 */
export async function startClusters(options: {
  url: string;
  ids: string[];
  groupsOf: (id: string) => string[];
  publicKeyPem: string;
  credentials?: (id: string) => { username: string; password: string };
  /** Ack schedules (default true). */
  ackSchedules?: boolean;
  /** How long "playing" lasts before "done" (default 20 ms). */
  playMs?: number;
}): Promise<SimulatedCluster[]> {
  const seen = new Set<string>();
  const key = createPublicKey(options.publicKeyPem);
  return Promise.all(
    options.ids.map(async (id) => {
      const client = await mqtt.connectAsync(options.url, {
        clientId: id,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
        ...(options.credentials?.(id) ?? {}),
      });
      const sim: SimulatedCluster = {
        id,
        client,
        commands: [],
        schedules: [],
        refused: [],
        timers: new Set(),
      };
      const ack = (ref: Ack['ref'], status: Ack['status'], reason?: string) => {
        const message = AckSchema.parse({ v: 1, deviceId: id, ref, status, ts: Date.now(), reason });
        client.publish(topics.ack(id), JSON.stringify(message), { qos: 1 });
      };
      client.on('message', (topic, payload) => {
        const json: unknown = JSON.parse(payload.toString('utf8'));
        if (topic === topics.schedule(id)) {
          const schedule = ScheduleSchema.parse(json);
          if (!verifyMessage(json, key)) {
            sim.refused.push(schedule.id);
            ack({ kind: 'schedule', version: schedule.version }, 'refused', 'bad-signature');
            return;
          }
          sim.schedules.push(schedule);
          if (options.ackSchedules !== false)
            ack({ kind: 'schedule', version: schedule.version }, 'received');
          return;
        }
        const command = CommandSchema.parse(json);
        const ref = { kind: 'command' as const, commandId: command.id };
        if (!verifyMessage(json, key) || command.expiresAt < Date.now()) {
          sim.refused.push(command.id);
          ack(ref, 'refused', 'bad-signature');
          return;
        }
        // The same command id twice (group + device topic) must play once.
        if (seen.has(`${id}/${command.id}`)) return;
        seen.add(`${id}/${command.id}`);
        sim.commands.push(command);
        ack(ref, 'received');
        if (command.body.type === 'play' || command.body.type === 'live') {
          ack(ref, 'playing');
          const timer = setTimeout(() => {
            sim.timers.delete(timer);
            ack(ref, 'done');
          }, options.playMs ?? 20);
          sim.timers.add(timer);
        }
      });
      await client.subscribeAsync(
        [topics.command(id), topics.schedule(id), ...options.groupsOf(id).map((g) => topics.groupCommand(g))],
        { qos: 1 },
      );
      return sim;
    }),
  );
}

export async function stopClusters(clusters: SimulatedCluster[]): Promise<void> {
  for (const c of clusters) for (const t of c.timers) clearTimeout(t);
  await Promise.all(clusters.map((c) => c.client.endAsync(true).catch(() => undefined)));
}
