import { AlarmSchema } from '@xaso/device-profiles/contract';
import type { Alarm } from '@xaso/device-profiles/contract';
import type { ConsoleContext, SessionUser } from '../app/env.js';
import type { Broadcasts } from '../broadcast/live/broadcasts.js';
import { announcementFor } from './announcement.js';
import type { AlarmWarningConfig } from './config.js';
import type { WarningStore } from './warning-store.js';

/** The actor of automatic warnings in broadcasts and the audit log. */
export const ALARM_ACTOR = 'system:alarms';

/**
 * Automatic warnings go out without an approver: the rule that asks for them was configured by the
 * environment department in advance, and a pollution warning that waits for a person is late.
 */
const SYSTEM_USER: SessionUser = {
  id: ALARM_ACTOR,
  username: ALARM_ACTOR,
  displayName: 'Cảnh báo tự động',
  roles: ['admin'],
  areaIds: [],
};

type Deps = Pick<ConsoleContext, 'registry' | 'areas' | 'audio' | 'audit' | 'log'>;
export type EmergencySender = Pick<Broadcasts, 'emergency'>;

/** Collector alarms in (MQTT), one emergency warning per raised autoBroadcast alarm out, per commune cooldown. */
export class AlarmWarnings {
  constructor(
    private readonly deps: Deps,
    private readonly store: WarningStore,
    private readonly broadcasts: EmergencySender,
    private readonly config: AlarmWarningConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Uplink handler; never throws (a bad alarm must not take the console's MQTT session down). */
  readonly receive = (topic: string, payload: Buffer): void => {
    this.handle(topic, payload).catch((err: unknown) =>
      this.deps.log.error({ err, topic }, 'alarm warning failed'),
    );
  };

  async handle(topic: string, payload: Buffer): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      this.deps.log.warn({ topic, reason: 'payload is not JSON' }, 'alarm rejected');
      return;
    }
    const parsed = AlarmSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const reason = `${issue?.path.join('.') || 'alarm'}: ${issue?.message ?? 'invalid'}`;
      this.deps.log.warn({ topic, reason }, 'alarm rejected');
      return;
    }
    const alarm = parsed.data;
    if (alarm.state !== 'raised' || alarm.autoBroadcast !== true) return;
    await this.warn(alarm);
  }

  private async warn(alarm: Alarm): Promise<void> {
    const log = this.deps.log.child({ alarm: alarm.id, station: alarm.stationId, rule: alarm.ruleId });
    const now = this.now();
    const commune = this.communeOf(alarm.stationId);
    if (!this.config.enabled) {
      this.skip(alarm, commune?.id ?? null, 'disabled', 'automatic warnings are switched off', now);
      return;
    }
    if (!commune) {
      this.skip(alarm, null, 'no-commune', `station ${alarm.stationId} is not placed in a commune`, now);
      return;
    }
    if (now - alarm.ts > this.config.maxAgeMs) {
      this.skip(alarm, commune.id, 'stale', `raised ${Math.round((now - alarm.ts) / 60_000)} min ago`, now);
      return;
    }
    const claim = this.store.claim(alarm, commune.id, now, this.config.cooldownMs);
    if (claim === 'duplicate') {
      log.debug('alarm already handled');
      return;
    }
    if (claim === 'cooldown') {
      log.info({ commune: commune.id }, 'commune warned recently: no automatic warning');
      return;
    }
    const text = announcementFor(alarm, commune.name);
    try {
      const synthesize = this.deps.audio.synthesize?.bind(this.deps.audio);
      if (!synthesize) throw new Error('text-to-speech is not available');
      const item = await synthesize({
        text,
        language: 'vi',
        title: `Cảnh báo tự động ${commune.name}`.slice(0, 200),
        tags: ['alarm-warning'],
        actor: ALARM_ACTOR,
      });
      const b = await this.broadcasts.emergency(
        SYSTEM_USER,
        {
          targets: [{ kind: 'area', areaId: commune.id }],
          playlist: [item.id],
          repeat: this.config.repeat,
          volume: 100,
          title: `Cảnh báo tự động: ${alarm.ruleId} tại ${commune.name}`.slice(0, 200),
        },
        'alarm',
      );
      this.store.finish(alarm.id, 'sent', { broadcastId: b.id, text });
      this.deps.audit.record({
        actor: ALARM_ACTOR,
        action: 'alarm.warning',
        target: alarm.id,
        detail: {
          stationId: alarm.stationId,
          ruleId: alarm.ruleId,
          communeId: commune.id,
          broadcastId: b.id,
        },
      });
      log.info({ commune: commune.id, broadcast: b.id }, 'automatic warning broadcast sent');
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.store.finish(alarm.id, 'failed', { text, reason });
      this.deps.audit.record({
        actor: ALARM_ACTOR,
        action: 'alarm.warning-failed',
        target: alarm.id,
        detail: { communeId: commune.id, reason },
      });
      log.error({ commune: commune.id, reason }, 'automatic warning broadcast failed');
    }
  }

  private skip(
    alarm: Alarm,
    communeId: string | null,
    outcome: 'disabled' | 'no-commune' | 'stale',
    reason: string,
    now: number,
  ) {
    if (this.store.record(alarm, communeId, outcome, reason, now))
      this.deps.log.warn(
        { alarm: alarm.id, station: alarm.stationId, outcome, reason },
        'no automatic warning',
      );
  }

  /** The station device's registry area, up to its commune. */
  private communeOf(stationId: string) {
    const areaId = this.deps.registry.getDevice(stationId)?.areaId;
    if (!areaId) return undefined;
    return this.deps.areas.ancestry(areaId).find((a) => a.kind === 'commune');
  }
}
