import { topics } from '@xaso/device-profiles/contract';
import type { Command } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { Uplink } from '../../app/env.js';
import type { PresenceBoard } from '../../devices/presence-board.js';

interface Remembered {
  payload: string;
  expiresAt: number;
  target: Command['target'];
}

/** What the catch-up asks the tracker: has this cluster answered this command? */
export interface AnswerLookup {
  answered(commandId: string, clusterId: string): boolean | undefined;
}

/** Resend no later than this before expiry: the gateway refuses an expired command anyway. */
const MARGIN_MS = 5_000;

/**
 * Gateways hold clean MQTT sessions, so a command published while a cluster was reconnecting (a 3G drop-out,
 * a broker restart) never reaches it. When a cluster announces itself online, every still-valid command it
 * was meant to get and has not answered is sent to it again on its own topic, signed bytes unchanged; a
 * cluster that did get it refuses the copy as a replay.
 */
export class CommandCatchUp {
  private readonly commands = new Map<string, Remembered>();

  constructor(
    private readonly deps: {
      uplink: Uplink;
      log: Logger;
      /** A cluster's fan-out groups now: only a command addressed to it or to one of them is resent. */
      groupsOf(clusterId: string): readonly string[];
    },
    private readonly answers: AnswerLookup,
    private readonly now: () => number = Date.now,
  ) {}

  follow(presence: PresenceBoard): () => void {
    return presence.onChange((deviceId, p) => {
      if (p.state === 'online' && p.status.reason === 'connect') this.resendTo(deviceId);
    });
  }

  remember(command: Command, payload: string): void {
    this.forgetExpired();
    this.commands.set(command.id, { payload, expiresAt: command.expiresAt, target: command.target });
  }

  /** A stopped broadcast's commands are not resent. */
  forget(commandIds: readonly string[]): void {
    for (const id of commandIds) this.commands.delete(id);
  }

  /** Commands still waiting for at least one cluster. */
  get size(): number {
    this.forgetExpired();
    return this.commands.size;
  }

  private resendTo(clusterId: string): void {
    this.forgetExpired();
    let groups: readonly string[] | undefined;
    const inGroup = (groupId: string) => {
      groups ??= this.deps.groupsOf(clusterId);
      return groups.includes(groupId);
    };
    for (const [commandId, c] of this.commands) {
      if (this.answers.answered(commandId, clusterId) !== false) continue;
      if (c.target.kind === 'device' && c.target.deviceId !== clusterId) continue;
      if (c.target.kind === 'group' && !inGroup(c.target.groupId)) continue;
      this.deps.log.info({ commandId, clusterId }, 'command resent to a cluster that came back online');
      this.deps.uplink
        .publish(topics.command(clusterId), c.payload, { qos: 1, retain: false })
        .catch((err: unknown) =>
          this.deps.log.warn({ commandId, clusterId, err: (err as Error).message }, 'command resend failed'),
        );
    }
  }

  private forgetExpired(): void {
    const cutoff = this.now() + MARGIN_MS;
    for (const [id, c] of this.commands) if (c.expiresAt <= cutoff) this.commands.delete(id);
  }
}
