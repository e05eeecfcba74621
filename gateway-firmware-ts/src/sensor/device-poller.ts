import {
  type Profile,
  type RegisterDef,
  StuckDetector,
  channelOf,
  decodeRegister,
  sensorRegisters,
  wordsOf,
} from '@xaso/device-profiles';
import type { AttachedDevice, Reading } from '@xaso/device-profiles/contract';
import type { Logger } from 'pino';
import type { PollingSettings } from '../config/local-config.js';
import type { RoleContext } from '../core/role.js';
import type { Bus } from './bus.js';
import { ModbusFailure, classifyFailure } from './modbus-failure.js';
import { type PlannedRead, planReads, wordsFor } from './read-planner.js';
import { SourceHealthTracker } from './source-health.js';

/** Polls one instrument on its bus: schedules due registers, reads them in merged requests, decodes, reports. */
export class DevicePoller {
  readonly health: SourceHealthTracker;
  private readonly registers: RegisterDef[];
  private readonly intervalOf = new Map<string, number>();
  private readonly nextDue = new Map<string, number>();
  private readonly stuck = new StuckDetector();
  private readonly timeoutMs: number;
  private gapTolerance: number;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> = Promise.resolve();
  private running = false;

  constructor(
    readonly device: AttachedDevice,
    profile: Profile,
    private readonly bus: Bus,
    private readonly polling: PollingSettings,
    private readonly context: Pick<RoleContext, 'emit' | 'publishReadings'>,
    private readonly log: Logger,
  ) {
    this.registers = sensorRegisters(profile);
    const base = device.pollIntervalMs ?? profile.pollIntervalMs;
    for (const reg of this.registers) this.intervalOf.set(reg.name, reg.pollIntervalMs ?? base);
    this.timeoutMs = polling.timeoutMs ?? profile.transport.timeoutMs;
    this.gapTolerance = polling.gapTolerance;
    this.health = new SourceHealthTracker(2);
  }

  start(): void {
    this.running = true;
    const now = Date.now();
    for (const reg of this.registers) this.nextDue.set(reg.name, now);
    this.schedule(0);
  }

  /** Stops scheduling and waits for the poll in progress to finish. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.current = this.pollDue();
    }, delayMs);
  }

  private async pollDue(): Promise<void> {
    const now = Date.now();
    // Registers due within a short slack join this poll, so nearly-due ones do not cost a second trip.
    const due = this.registers.filter((r) => (this.nextDue.get(r.name) ?? 0) <= now + this.slackOf(r));
    const failure = await this.poll(due);
    const after = Date.now();
    if (failure) {
      const backoff = Math.min(
        this.polling.backoffMaxMs,
        this.polling.backoffBaseMs * 2 ** (this.health.failures - 1),
      );
      for (const reg of due) this.nextDue.set(reg.name, after + backoff);
    } else {
      for (const reg of due) this.nextDue.set(reg.name, now + (this.intervalOf.get(reg.name) ?? 0));
    }
    const next = Math.min(...this.registers.map((r) => this.nextDue.get(r.name) ?? after));
    this.schedule(Math.max(0, next - Date.now()));
  }

  private slackOf(reg: RegisterDef): number {
    return Math.min(200, (this.intervalOf.get(reg.name) ?? 0) / 20);
  }

  /** One poll: returns the first failure, after publishing whatever the successful requests read. */
  async poll(due: readonly RegisterDef[]): Promise<ModbusFailure | undefined> {
    const readings: Reading[] = [];
    let failure: ModbusFailure | undefined;
    for (const read of planReads(due, { gapTolerance: this.gapTolerance })) {
      if (!this.running) break;
      try {
        const data = await this.bus.read(this.device.unitId, this.timeoutMs, read);
        try {
          readings.push(...this.decode(read, data, Date.now()));
        } catch (err) {
          failure ??= new ModbusFailure('decode', (err as Error).message);
        }
      } catch (err) {
        const f = classifyFailure(err);
        failure ??= f;
        // Reading through a hole hit an address the instrument does not have: read exact blocks from now on.
        if (f.exceptionCode === 2 && this.gapTolerance > 0 && hasHoles(read)) {
          this.log.warn(
            { source: this.device.name },
            'illegal address inside a merged read; disabling gap tolerance',
          );
          this.gapTolerance = 0;
        }
      }
    }
    if (readings.length > 0) this.context.publishReadings(readings);
    this.report(failure);
    return failure;
  }

  private report(failure: ModbusFailure | undefined): void {
    const source = this.device.name;
    if (!failure) {
      const cleared = this.health.succeeded();
      if (cleared !== undefined) {
        this.log.info({ source, code: cleared }, 'source recovered');
        this.context.emit({
          kind: 'fault',
          source,
          code: cleared,
          message: 'polling recovered',
          cleared: true,
        });
      }
      return;
    }
    const code = this.health.failed(failure.code, failure.message);
    if (code !== undefined) {
      this.log.warn({ source, code, err: failure.message }, 'source fault');
      this.context.emit({
        kind: 'fault',
        source,
        code,
        message: failure.message.slice(0, 500),
        cleared: false,
      });
    }
  }

  private decode(read: PlannedRead, data: readonly number[] | readonly boolean[], ts: number): Reading[] {
    return read.registers.map((reg) => {
      const words = wordsFor(read, reg, data as readonly (number | boolean)[]) as number[] | boolean[];
      const decoded = decodeRegister(reg, words);
      const key = `${this.device.name}/${reg.name}`;
      const isStuck = decoded.quality === 'good' && this.stuck.observe(key, reg, decoded.raw);
      return {
        source: this.device.name,
        channel: channelOf(reg),
        value: decoded.value,
        unit: reg.unit,
        ts,
        quality: isStuck ? 'stuck' : decoded.quality,
      };
    });
  }
}

function hasHoles(read: PlannedRead): boolean {
  return read.registers.reduce((n, r) => n + wordsOf(r), 0) < read.count;
}
