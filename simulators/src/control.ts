import type { SimulatedDevice } from './device.js';
import { formatFaults, parseFaultSpec } from './faults/spec.js';
import type { RtuLine } from './transport/rtu-line.js';

export interface ControlTarget {
  devices: readonly SimulatedDevice[];
  rtu?: RtuLine | undefined;
}

/**
 * Runs one operator command against running simulators and returns the answer to print.
 * Faults and forced values apply to every device (or to `unit=<id>` when given first).
 */
export async function runControlCommand(target: ControlTarget, line: string): Promise<string> {
  let words = line.trim().split(/\s+/).filter(Boolean);
  let devices = target.devices;
  const unitArg = words[0]?.match(/^unit=(\d+)$/);
  if (unitArg) {
    devices = devices.filter((d) => d.unitId === Number(unitArg[1]));
    if (devices.length === 0) return `no device with unit id ${unitArg[1]}`;
    words = words.slice(1);
  }
  const [command, ...args] = words;
  switch (command) {
    case undefined:
      return '';
    case 'faults': {
      const faults = parseFaultSpec(args.join(''));
      for (const device of devices) device.setFaults(faults);
      return faults.length ? `faults now ${formatFaults(faults)}` : 'faults cleared';
    }
    case 'set': {
      const [channel, text] = args;
      const value = Number(text);
      if (!channel || text === undefined || !Number.isFinite(value)) return 'usage: set <channel> <number>';
      for (const device of devices) device.set(channel, value);
      return `${channel} forced to ${value}`;
    }
    case 'release': {
      const [channel] = args;
      if (!channel) return 'usage: release <channel>';
      for (const device of devices) device.release(channel);
      return `${channel} released`;
    }
    case 'unplug':
    case 'replug': {
      if (!target.rtu) return `${command} needs an RTU line (--rtu or --pty)`;
      await (command === 'unplug' ? target.rtu.unplug() : target.rtu.replug());
      return command === 'unplug' ? `${target.rtu.path} closed` : `${target.rtu.path} open again`;
    }
    case 'status':
      return devices
        .map(
          (d) =>
            `${d.profile.name} unit ${d.unitId} faults=[${formatFaults(d.faults)}] ${JSON.stringify(d.snapshot())}`,
        )
        .join('\n');
    default:
      return `unknown command "${command}" (faults <spec> | set <channel> <value> | release <channel> | unplug | replug | status)`;
  }
}
