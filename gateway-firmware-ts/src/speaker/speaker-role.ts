import { join } from 'node:path';
import { type DeviceConfig, topics } from '@xaso/device-profiles/contract';
import type { Role, RoleContext, RoleHealth } from '../core/role.js';
import { AmplifierPower } from './amplifier-power.js';
import { Arbiter } from './arbiter.js';
import { executeCommand } from './command-execution.js';
import { judgeCommand } from './console-messages.js';
import { LocalSchedule } from './local-schedule.js';
import type { Amplifier, AudioCache, Player } from './ports.js';
import { reportRefusal } from './refusal.js';
import type { SpeakerTiming } from './settings.js';
import { speakerStatus } from './speaker-status.js';
import { SpeakerStore } from './speaker-store.js';

/** The I/O behind the role: sound, audio files, the controller board. */
export interface SpeakerParts {
  player: Player;
  audio: AudioCache;
  amplifier: Amplifier;
}

/** What the role takes from the gateway's effective settings (local config or accepted remote config). */
export interface SpeakerSettingsInput {
  groups: readonly string[];
  defaultVolume?: number;
}

/**
 * The loudspeaker cluster: verifies console commands and schedules, runs the schedule locally, arbitrates
 * priorities, and reports every playback through the disk queue.
 */
export class SpeakerRole implements Role {
  readonly name = 'speaker';
  private readonly groups = new Set<string>();
  private readonly power: AmplifierPower;
  private readonly arbiter: Arbiter;
  private readonly schedule: LocalSchedule;
  private store: SpeakerStore | undefined;
  private aliveTimer: NodeJS.Timeout | undefined;
  private doorOpen: boolean | undefined;

  constructor(
    private readonly context: RoleContext,
    private readonly settings: SpeakerSettingsInput,
    private readonly parts: SpeakerParts,
    private readonly timing: SpeakerTiming,
  ) {
    this.power = new AmplifierPower(
      parts.amplifier,
      { warmupMs: timing.amplifierWarmupMs, idleOffMs: timing.amplifierIdleOffMs },
      (message, cleared) =>
        context.emit({ kind: 'fault', source: 'amplifier', code: 'amplifier', message, cleared }),
    );
    this.arbiter = new Arbiter(
      { ...parts, power: this.power },
      {
        playback: (event) => context.emit({ kind: 'playback', ...event }),
        ack: (commandId, status, reason) => context.ack({ kind: 'command', commandId }, status, reason),
        streamFault: (fault) =>
          context.emit({
            kind: 'fault',
            source: 'live-relay',
            code: 'player',
            message: `${fault.kind}: ${fault.detail}`.slice(0, 500),
            cleared: fault.kind === 'recovered',
          }),
      },
      { volumeControl: timing.volumeControl, volume: settings.defaultVolume ?? timing.defaultVolume },
      context.log.child({ part: 'arbiter' }),
    );
    this.schedule = new LocalSchedule(context, parts.audio, timing, (job) => this.arbiter.submit(job));
  }

  async start(): Promise<void> {
    const { context, timing } = this;
    const now = Date.now();
    const store = new SpeakerStore(join(context.dataDir, 'speaker.sqlite'));
    this.store = store;
    store.prune(now);
    const downSince = store.aliveAt;
    store.markAlive(now);
    this.schedule.start(store, downSince, now);
    this.aliveTimer = setInterval(() => this.tick(), timing.aliveEveryS * 1000);
    this.aliveTimer.unref();
    context.subscribe(topics.command(context.deviceId), (_t, payload) => this.onCommand(payload));
    context.subscribe(topics.schedule(context.deviceId), (_t, payload) => this.onSchedule(payload));
    this.followGroups(this.settings.groups);
  }

  async stop(): Promise<void> {
    const { context } = this;
    clearInterval(this.aliveTimer);
    context.unsubscribe(topics.command(context.deviceId));
    context.unsubscribe(topics.schedule(context.deviceId));
    this.followGroups([]);
    this.schedule.stop();
    await this.arbiter.close();
    await this.power.set(false).catch(() => undefined);
    await this.parts.player.close();
    this.store?.markAlive(Date.now());
    this.store?.close();
    this.store = undefined;
  }

  /** Group subscriptions follow the remote config; a new default volume applies at once. */
  async applyConfig(config: Pick<DeviceConfig, 'groups' | 'defaultVolume'>): Promise<void> {
    this.followGroups(config.groups);
    if (config.defaultVolume !== undefined) await this.arbiter.setVolume(config.defaultVolume);
  }

  health(): RoleHealth {
    const board = this.parts.amplifier.health();
    return { speaker: speakerStatus(this.arbiter, board, this.power.state, this.schedule.version) };
  }

  /** The running schedule version (undefined before the first one). */
  get scheduleVersion(): number | undefined {
    return this.schedule.version;
  }

  private tick(): void {
    const now = Date.now();
    this.store?.markAlive(now);
    this.store?.prune(now);
    const door = this.parts.amplifier.health().doorOpen;
    if (door !== undefined && this.doorOpen !== undefined && door !== this.doorOpen)
      this.context.emit({ kind: 'lifecycle', what: door ? 'tamper-open' : 'tamper-closed' });
    this.doorOpen = door;
  }

  private followGroups(groups: readonly string[]): void {
    const wanted = new Set(groups);
    for (const group of [...this.groups]) {
      if (wanted.has(group)) continue;
      this.context.unsubscribe(topics.groupCommand(group));
      this.groups.delete(group);
    }
    for (const group of wanted) {
      if (this.groups.has(group)) continue;
      this.groups.add(group);
      this.context.subscribe(topics.groupCommand(group), (_t, payload) => this.onCommand(payload));
    }
  }

  private onCommand(payload: Buffer): void {
    const store = this.store;
    if (!store) return;
    const verdict = judgeCommand(payload, {
      deviceId: this.context.deviceId,
      groups: this.groups,
      signingKeyPem: this.context.signingKeyPem,
      now: Date.now(),
      claimId: (id, expiresAt) => store.claimId(id, expiresAt),
    });
    if (verdict.kind === 'refuse') {
      reportRefusal(this.context, 'command', verdict);
      return;
    }
    // The console waits for this ack from every cluster: it goes out before any work is done.
    this.context.ack({ kind: 'command', commandId: verdict.command.id }, 'received');
    void executeCommand(verdict.command, { context: this.context, arbiter: this.arbiter, power: this.power });
  }

  private onSchedule(payload: Buffer): void {
    const store = this.store;
    if (store) this.schedule.receive(payload, store);
  }
}
