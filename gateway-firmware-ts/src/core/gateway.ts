import { join } from 'node:path';
import { type AppliedDeviceConfig, type DeviceConfig, topics } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import { AppliedConfigFile } from '../config/applied-config.js';
import { type LocalConfig, signingKeyOf } from '../config/local-config.js';
import { judgeRemoteConfig } from '../config/remote-config.js';
import { Forwarder } from '../queue/forwarder.js';
import { Outbox } from '../queue/outbox.js';
import { MqttLink } from '../uplink/mqtt-link.js';
import { MessageSink } from './message-sink.js';
import type { Role, RoleContext } from './role.js';
import { buildStatus, lastWill } from './status-report.js';

/** What roles run on this gateway: their settings after any accepted remote config. */
export type EffectiveSettings = Pick<AppliedDeviceConfig, 'devices' | 'groups' | 'defaultVolume'> & {
  statusIntervalS: number;
  version: number;
};

export type RoleFactory = (context: RoleContext, settings: EffectiveSettings) => Role;

export interface GatewayOptions {
  /** How this host restarts the program (the CLI exits for systemd to restart it); absent: refused. */
  onRestartRequest?: (reason: string) => void;
}

/**
 * The program's core: local config, the MQTT link, the disk queue, status and remote config.
 * Features are roles built by the factories; the core starts and stops them and hands them config.
 */
export class Gateway {
  readonly outbox: Outbox;
  readonly link: MqttLink;
  readonly sink: MessageSink;
  private readonly forwarder: Forwarder;
  private readonly applied: AppliedConfigFile;
  private readonly roles: Role[] = [];
  private settings: EffectiveSettings;
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();
  private thinning = false;
  private stopping = false;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly config: LocalConfig,
    private readonly factories: readonly RoleFactory[],
    private readonly log: Logger,
    private readonly options: GatewayOptions = {},
  ) {
    this.outbox = new Outbox({
      file: join(config.dataDir, 'queue.sqlite'),
      diskBudgetBytes: config.queue.diskBudgetBytes,
    });
    this.sink = new MessageSink(config.deviceId, this.outbox, config.queue.batchMaxReadings, () =>
      this.keepToBudget(),
    );
    this.link = new MqttLink(
      {
        url: config.mqtt.url,
        clientId: config.deviceId,
        username: config.mqtt.username,
        password: config.mqtt.password,
        ca: config.mqtt.ca,
        keepaliveS: config.mqtt.keepaliveS,
        reconnectPeriodMs: config.mqtt.reconnectPeriodMs,
        will: {
          topic: topics.status(config.deviceId),
          payload: JSON.stringify(lastWill(config.deviceId, Date.now())),
        },
      },
      log.child({ part: 'mqtt' }),
    );
    this.forwarder = new Forwarder(this.outbox, this.link, config.queue, log.child({ part: 'forwarder' }));
    this.applied = new AppliedConfigFile(config.dataDir);
    const stored = this.applied.read();
    this.settings = {
      devices: stored?.devices ?? config.devices,
      groups: stored?.groups ?? config.groups,
      statusIntervalS: stored?.statusIntervalS ?? config.statusIntervalS,
      version: stored?.version ?? 0,
      defaultVolume: stored?.defaultVolume,
    };
  }

  get effectiveSettings(): EffectiveSettings {
    return this.settings;
  }

  async start(): Promise<void> {
    this.starting ??= this.boot();
    await this.starting;
  }

  private async boot(): Promise<void> {
    const context: RoleContext = {
      deviceId: this.config.deviceId,
      log: this.log,
      polling: this.config.polling,
      emit: (event) => this.sink.event(event),
      publishReadings: (readings) => this.sink.readings(readings),
      ack: (ref, status, reason) => this.sink.ack(ref, status, reason),
      subscribe: (topic, handler) => this.link.subscribe(topic, handler),
      unsubscribe: (topic) => this.link.unsubscribe(topic),
      dataDir: this.config.dataDir,
      signingKeyPem: signingKeyOf(this.config),
      requestRestart: (reason) => {
        const restart = this.options.onRestartRequest;
        if (!restart) return false;
        this.log.warn({ reason }, 'restart requested');
        restart(reason);
        return true;
      },
    };
    for (const factory of this.factories) this.roles.push(factory(context, this.settings));
    this.sink.event({ kind: 'lifecycle', what: 'boot', detail: `config version ${this.settings.version}` });
    let lostAt: number | undefined;
    this.link.on('up', () => {
      // A link that comes up while the gateway stops must not write to the queue being closed.
      if (this.stopping) return;
      if (lostAt !== undefined) {
        const detail = `after ${Math.round((Date.now() - lostAt) / 1000)} s; ${this.outbox.depth} queued`;
        this.sink.event({ kind: 'lifecycle', what: 'uplink-restored', detail });
      }
      lostAt = undefined;
      void this.publishStatus('connect');
    });
    // Stamped when the link dropped; it reaches the broker with the backlog once the link is back.
    this.link.on('down', (reason) => {
      if (this.stopping) return;
      lostAt = Date.now();
      this.sink.event({ kind: 'lifecycle', what: 'uplink-lost', detail: reason });
    });
    this.link.subscribe(
      topics.config(this.config.deviceId),
      (_topic, payload) => void this.onRemoteConfig(payload),
    );
    this.forwarder.start();
    this.link.start();
    for (const role of this.roles) await role.start();
    this.scheduleStatus();
  }

  /**
   * Stops roles (each finishes its in-flight request), flushes what it can, says goodbye, then stops the
   * forwarder and the link before closing the queue, so nothing touches it afterwards.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // A stop during start waits for it, so no role or timer starts after the queue is closed.
    await this.starting?.catch(() => undefined);
    clearInterval(this.statusTimer);
    for (const role of [...this.roles].reverse()) await role.stop();
    this.sink.event({ kind: 'lifecycle', what: 'shutdown' });
    await this.forwarder.flush(3000);
    this.forwarder.stop();
    await this.publishStatus('shutdown');
    await this.link.stop();
    this.outbox.close();
  }

  private scheduleStatus(): void {
    clearInterval(this.statusTimer);
    this.statusTimer = setInterval(
      () => void this.publishStatus('periodic'),
      this.settings.statusIntervalS * 1000,
    );
    this.statusTimer.unref();
  }

  private async publishStatus(reason: 'connect' | 'periodic' | 'shutdown'): Promise<void> {
    if (!this.link.connected) return;
    const status = buildStatus(
      {
        deviceId: this.config.deviceId,
        startedAt: this.startedAt,
        dataDir: this.config.dataDir,
        queueDepth: () => this.outbox.depth,
        roles: this.roles,
      },
      reason,
    );
    try {
      await this.link.publish(topics.status(this.config.deviceId), JSON.stringify(status), {
        qos: 1,
        retain: true,
      });
    } catch (err) {
      this.log.debug({ err: (err as Error).message }, 'status not published');
    }
  }

  private keepToBudget(): void {
    if (this.thinning) return;
    this.thinning = true;
    try {
      const outcome = this.outbox.thinToBudget();
      if (outcome) {
        this.log.warn(outcome, 'disk budget reached; oldest telemetry downsampled');
        this.sink.event({ kind: 'queue-thinned', ...outcome });
      }
    } catch (err) {
      // What was just queued is already on disk; a failed thinning only leaves the queue over budget.
      this.log.error({ err }, 'disk budget reached but thinning the oldest telemetry failed');
    } finally {
      this.thinning = false;
    }
  }

  private async onRemoteConfig(payload: Buffer): Promise<void> {
    // The retained config comes again on the next start; acking it now would write to a closing queue.
    if (payload.length === 0 || this.stopping) return;
    const verdict = judgeRemoteConfig(payload, {
      deviceId: this.config.deviceId,
      signingKeyPem: signingKeyOf(this.config),
      currentVersion: this.settings.version,
      now: Date.now(),
    });
    switch (verdict.kind) {
      case 'same':
        return;
      case 'refuse':
        this.log.warn(verdict, 'remote config refused');
        this.sink.event({
          kind: 'refused',
          what: 'config',
          id: verdict.id,
          reason: verdict.reason,
          detail: verdict.detail,
        });
        if (verdict.version !== undefined)
          this.sink.ack({ kind: 'config', version: verdict.version }, 'refused', verdict.reason);
        return;
      case 'invalid':
        this.log.warn(verdict, 'remote config invalid');
        this.sink.event({
          kind: 'config',
          version: verdict.version,
          accepted: false,
          reason: verdict.reason,
        });
        this.sink.ack({ kind: 'config', version: verdict.version }, 'refused', verdict.reason.slice(0, 500));
        return;
      case 'accept':
        await this.accept(verdict.config);
    }
  }

  private async accept(pushed: DeviceConfig): Promise<void> {
    this.sink.ack({ kind: 'config', version: pushed.version }, 'received');
    // A push without devices (e.g. the console moving the cluster to another area) keeps the attached ones.
    const config = { ...pushed, devices: pushed.devices ?? this.settings.devices };
    this.applied.write(config);
    this.settings = {
      devices: config.devices,
      groups: config.groups,
      statusIntervalS: config.statusIntervalS ?? this.config.statusIntervalS,
      version: config.version,
      defaultVolume: config.defaultVolume,
    };
    try {
      for (const role of this.roles) await role.applyConfig(config);
    } catch (err) {
      this.sink.event({
        kind: 'config',
        version: config.version,
        accepted: false,
        reason: (err as Error).message,
      });
      this.sink.ack(
        { kind: 'config', version: config.version },
        'failed',
        (err as Error).message.slice(0, 500),
      );
      return;
    }
    this.scheduleStatus();
    this.log.info({ version: config.version, devices: config.devices.length }, 'remote config applied');
    this.sink.event({ kind: 'config', version: config.version, accepted: true });
    this.sink.ack({ kind: 'config', version: config.version }, 'done');
  }
}
