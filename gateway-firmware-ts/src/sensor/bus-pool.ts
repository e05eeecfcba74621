import type { Logger } from 'pino';
import { Bus, type BusOptions, busKey } from './bus.js';

/**
 * The gateway's buses, shared by every role: a serial line can be opened only once, and the sensor poller
 * and the loudspeaker's controller board may sit on the same RS485 line. The last user closes a bus.
 */
export class BusPool {
  private readonly buses = new Map<string, { bus: Bus; users: number }>();

  acquire(options: BusOptions, log: Logger): Bus {
    const key = busKey(options.link);
    const held = this.buses.get(key);
    if (held) {
      held.users += 1;
      return held.bus;
    }
    const bus = new Bus(options, log.child({ bus: key }));
    this.buses.set(key, { bus, users: 1 });
    return bus;
  }

  async release(bus: Bus): Promise<void> {
    const held = this.buses.get(bus.key);
    if (held?.bus !== bus) return;
    held.users -= 1;
    if (held.users > 0) return;
    this.buses.delete(bus.key);
    await bus.close();
  }
}
