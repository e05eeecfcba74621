import { join } from 'node:path';
import {
  type Command,
  type DeviceConfig,
  type Schedule,
  ScheduleSchema,
  type SpeakerState,
  topics,
} from '@xaso/device-profiles/contract';
import { DurableJsonFile } from '../core/durable-json.js';
import type { Role, RoleContext, RoleHealth } from '../core/role.js';
import { AmplifierPower } from './amplifier-power.js';
import { Arbiter } from './arbiter.js';
import { type Refused, judgeCommand, judgeSchedule } from './console-messages.js';
import { jobOfCommand, jobOfSlot } from './job.js';
import type { Amplifier, AudioCache, Player } from './ports.js';
import { ScheduleRunner, type Slot } from './schedule-runner.js';
import type { SpeakerTiming } from './settings.js';
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
  private readonly scheduleFile: DurableJsonFile<typeof ScheduleSchema>;
  private readonly power: AmplifierPower;
  private readonly arbiter: Arbiter;
  private store: SpeakerStore | undefined;
  private runner: ScheduleRunner | undefined;
  private aliveTimer: NodeJS.Timeout | undefined;
  private doorOpen: boolean | undefined;

  constructor(
    private readonly context: RoleContext,
    private readonly settings: SpeakerSettingsInput,
    private readonly parts: SpeakerParts,
    private readonly timing: SpeakerTiming,
  ) {
    this.scheduleFile = new DurableJsonFile(
      join(context.dataDir, 'schedule.json'),
      ScheduleSchema,
      'schedule',
    );
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
  }

  async start(): Promise<void> {
    const { context, timing } = this;
    const now = Date.now();
    const store = new SpeakerStore(join(context.dataDir, 'speaker.sqlite'));
    this.store = store;
    store.prune(now);
    const downSince = store.aliveAt;
    store.markAlive(now);
    this.runner = new ScheduleRunner(
      store,
      { start: (slot) => this.onSlot(slot), missed: (slot, reason) => this.onMissed(slot, reason) },
      {
        graceMs: timing.graceMs,
        lookBackMs: timing.lookBackHours * 3600 * 1000,
        maxMissedPerEntry: 20,
      },
      context.log.child({ part: 'schedule' }),
    );
    this.runStored(downSince, now);
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
    this.runner?.stop();
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
    const now = this.arbiter.nowPlaying;
    const speaker: SpeakerState = {
      playing: now
        ? {
            broadcastId: now.job.broadcastId,
            title: now.item?.title ?? now.job.title,
            priority: now.job.priority,
            startedAt: now.startedAt,
          }
        : null,
      volume: this.arbiter.volume,
      amplifier: board.fault ? 'fault' : this.power.state,
      scheduleVersion: this.runner?.version,
      mainsV: board.mainsV,
      batteryV: board.batteryV,
      amplifierA: board.currentA,
      doorOpen: board.doorOpen,
      temperatureC: board.temperatureC,
    };
    return { speaker };
  }

  /** The running schedule version (undefined before the first one). */
  get scheduleVersion(): number | undefined {
    return this.runner?.version;
  }

  private runStored(downSince: number | undefined, now: number): void {
    let stored: Schedule | undefined;
    try {
      stored = this.scheduleFile.read();
    } catch (err) {
      this.context.log.error({ err: (err as Error).message }, 'stored schedule unreadable');
      const message = (err as Error).message.slice(0, 500);
      this.context.emit({ kind: 'fault', source: 'schedule', code: 'disk', message, cleared: false });
    }
    if (!stored) return;
    this.runner?.run(stored, downSince, now);
    this.parts.audio.prefetch(stored.entries.flatMap((e) => e.playlist));
    this.context.log.info({ version: stored.version, entries: stored.entries.length }, 'schedule loaded');
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

  private refuse(what: 'command' | 'schedule', verdict: Refused): void {
    const { context } = this;
    context.log.warn({ what, reason: verdict.reason, detail: verdict.detail, id: verdict.id }, 'refused');
    context.emit({ kind: 'refused', what, id: verdict.id, reason: verdict.reason, detail: verdict.detail });
    if (what === 'command' && verdict.id !== undefined)
      context.ack({ kind: 'command', commandId: verdict.id }, 'refused', verdict.reason);
    if (what === 'schedule' && verdict.version !== undefined)
      context.ack({ kind: 'schedule', version: verdict.version }, 'refused', verdict.reason);
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
      this.refuse('command', verdict);
      return;
    }
    // The console waits for this ack from every cluster: it goes out before any work is done.
    this.context.ack({ kind: 'command', commandId: verdict.command.id }, 'received');
    void this.execute(verdict.command);
  }

  private async execute(command: Command): Promise<void> {
    const { context } = this;
    const ref = { kind: 'command' as const, commandId: command.id };
    const body = command.body;
    try {
      switch (body.type) {
        case 'play':
        case 'live':
          this.arbiter.submit(jobOfCommand(command, body));
          return;
        case 'stop': {
          const n = this.arbiter.stop(body.broadcastId, `stopped by ${command.issuer}`);
          context.ack(ref, 'done', `${n} broadcast(s) stopped`);
          return;
        }
        case 'set-volume':
          await this.arbiter.setVolume(body.volume);
          context.ack(ref, 'done');
          return;
        case 'amplifier':
          await this.power.set(body.on);
          context.ack(ref, 'done');
          if (body.on) this.power.idle();
          return;
        case 'ping':
          context.ack(ref, 'done');
          return;
        case 'reboot':
          context.ack(ref, 'done', 'restarting');
          if (!context.requestRestart(`reboot command ${command.id} by ${command.issuer}`))
            context.ack(ref, 'failed', 'this host cannot restart the gateway');
          return;
      }
    } catch (err) {
      context.ack(ref, 'failed', (err as Error).message);
    }
  }

  private onSchedule(payload: Buffer): void {
    const { context } = this;
    const store = this.store;
    const runner = this.runner;
    if (!store || !runner) return;
    const verdict = judgeSchedule(payload, {
      deviceId: context.deviceId,
      signingKeyPem: context.signingKeyPem,
      now: Date.now(),
      currentVersion: runner.version,
      claimId: (id, expiresAt) => store.claimId(id, expiresAt),
    });
    if (verdict.kind === 'same' || verdict.kind === 'ignore') return;
    if (verdict.kind === 'refuse') {
      this.refuse('schedule', verdict);
      return;
    }
    const schedule = verdict.schedule;
    const ref = { kind: 'schedule' as const, version: schedule.version };
    context.ack(ref, 'received');
    try {
      this.scheduleFile.write(schedule);
      runner.run(schedule);
    } catch (err) {
      context.ack(ref, 'failed', (err as Error).message);
      return;
    }
    this.parts.audio.prefetch(schedule.entries.flatMap((e) => e.playlist));
    context.log.info({ version: schedule.version, entries: schedule.entries.length }, 'schedule accepted');
    context.ack(ref, 'done');
  }

  private onSlot(slot: Slot): void {
    this.arbiter.submit(jobOfSlot(slot, this.timing.graceMs));
  }

  private onMissed(slot: Slot, reason: string): void {
    const job = jobOfSlot(slot, this.timing.graceMs);
    this.context.log.warn(
      { entry: slot.entry.id, at: new Date(slot.scheduledAt).toISOString(), reason },
      'missed',
    );
    this.context.emit({
      kind: 'playback',
      phase: 'missed',
      broadcastId: job.broadcastId,
      priority: job.priority,
      scheduleVersion: slot.version,
      entryId: slot.entry.id,
      scheduledAt: slot.scheduledAt,
      reason: reason.slice(0, 500),
    });
  }
}
