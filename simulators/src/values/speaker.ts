import { type KindModel, MINUTE, noise } from './context.js';
import { bell, cycle } from './diurnal.js';

/** Loudspeaker cluster I/O board; the amplifier draws current only while the master keeps its relay on. */
export const SPEAKER_CONTROLLER: KindModel = {
  initial: { amplifier_relay: 0, volume: 70 },
  values(ctx) {
    const relayOn = (ctx.held.get('amplifier_relay') ?? 0) !== 0;
    const volume = ctx.held.get('volume') ?? 70;
    return {
      // The village grid sags in the evening peak.
      mains_voltage: 221 - 6 * bell(ctx.hour, 19, 2) + 1.5 * noise(ctx, 'mains', 5 * MINUTE),
      battery_voltage: 13.2 + 0.05 * noise(ctx, 'battery', 10 * MINUTE),
      amplifier_current: relayOn
        ? 2 + (2 * volume) / 100 + 0.08 * noise(ctx, 'amp', 0.2 * MINUTE)
        : 0.02 + 0.01 * Math.abs(noise(ctx, 'amp.idle', MINUTE)),
      cabinet_temperature:
        31 + 4 * cycle(ctx.hour, 14.5) + (relayOn ? 4 : 0) + 0.3 * noise(ctx, 'cab', 10 * MINUTE),
      door_open: 0,
      amplifier_fault: 0,
    };
  },
};
