import { type Profile, getProfile } from '@xaso/device-profiles';
import type { AppliedDeviceConfig, AttachedDevice } from '@xaso/device-profiles/contract';
import type { PortState, Role, RoleContext, RoleHealth, SourceHealth } from '../core/role.js';
import { BusPool } from './bus-pool.js';
import { type Bus, type SerialSettings, busKey } from './bus.js';
import { DevicePoller } from './device-poller.js';

export function serialOf(device: AttachedDevice, profile: Profile): SerialSettings {
  const t = profile.transport.type === 'rtu' ? profile.transport : undefined;
  const l = device.link.type === 'rtu' ? device.link : undefined;
  return {
    baudRate: l?.baudRate ?? t?.baudRate ?? 9600,
    parity: l?.parity ?? t?.parity ?? 'none',
    dataBits: l?.dataBits ?? t?.dataBits ?? 8,
    stopBits: l?.stopBits ?? t?.stopBits ?? 1,
  };
}

/** Polls the attached Modbus instruments: one Bus per RS485 line or TCP endpoint, buses in parallel. */
export class SensorRole implements Role {
  readonly name = 'sensor';
  private buses = new Map<string, Bus>();
  private pollers: DevicePoller[] = [];
  private devices: readonly AttachedDevice[];
  private started = false;

  constructor(
    private readonly context: RoleContext,
    devices: readonly AttachedDevice[],
    /** Shared with the loudspeaker role when its controller board sits on the same line. */
    private readonly pool: BusPool = new BusPool(),
  ) {
    this.devices = devices;
  }

  async start(): Promise<void> {
    this.build();
    this.started = true;
    for (const poller of this.pollers) poller.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.pollers.map((p) => p.stop()));
    await Promise.all([...this.buses.values()].map((b) => this.pool.release(b)));
    this.pollers = [];
    this.buses = new Map();
  }

  /** Restarts polling with the new list of instruments. */
  async applyConfig(config: Pick<AppliedDeviceConfig, 'devices'>): Promise<void> {
    for (const device of config.devices) getProfile(device.profile);
    await this.stop();
    this.devices = config.devices;
    await this.start();
  }

  health(): RoleHealth {
    const sources: Record<string, SourceHealth> = {};
    for (const poller of this.pollers) sources[poller.device.name] = poller.health.snapshot();
    const ports: Record<string, PortState> = {};
    for (const bus of this.buses.values()) ports[bus.key] = bus.state;
    return { sources, ports };
  }

  /** Requests put on the wire by every bus so far. */
  get requestCount(): number {
    return [...this.buses.values()].reduce((n, b) => n + b.requestCount, 0);
  }

  get isRunning(): boolean {
    return this.started;
  }

  private build(): void {
    const { polling, log } = this.context;
    for (const device of this.devices) {
      const profile = getProfile(device.profile);
      const key = busKey(device.link);
      let bus = this.buses.get(key);
      if (!bus) {
        bus = this.pool.acquire(
          {
            link: device.link,
            serial: serialOf(device, profile),
            reopenBaseMs: polling.backoffBaseMs,
            reopenMaxMs: polling.backoffMaxMs,
          },
          log,
        );
        this.buses.set(key, bus);
      }
      this.pollers.push(
        new DevicePoller(device, profile, bus, polling, this.context, log.child({ source: device.name })),
      );
    }
  }
}
