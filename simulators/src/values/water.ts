import { HOUR, type KindModel, MINUTE, episode, noise } from './context.js';
import { bell, daylight } from './diurnal.js';
import { RAIN_RUNOFF } from './episodes.js';

/** Surface water: photosynthesis lifts DO and pH by day; rain run-off lifts turbidity, TSS, COD. */
export const WATER_QUALITY: KindModel = {
  values(ctx) {
    const rain = episode(ctx, RAIN_RUNOFF);
    const sunlit = bell(ctx.hour, 15, 3.5);
    const turbidity = ctx.site * 18 * (1 + 0.1 * noise(ctx, 'turbidity', 20 * MINUTE)) * (1 + rain);
    return {
      temperature:
        28.5 + 1.5 * Math.cos(((ctx.hour - 15) / 24) * 2 * Math.PI) + 0.3 * noise(ctx, 'wtemp', HOUR),
      ph: 7.15 + 0.35 * sunlit + 0.05 * noise(ctx, 'ph', 30 * MINUTE) - 0.04 * rain,
      do: 4.6 + 2.8 * sunlit + 0.2 * noise(ctx, 'do', 30 * MINUTE) - 0.08 * rain,
      turbidity,
      tss: 1.3 * turbidity + 4 + noise(ctx, 'tss', 10 * MINUTE),
      conductivity: (ctx.site * 420 * (1 + 0.03 * noise(ctx, 'cond', HOUR))) / (1 + 0.05 * rain),
      cod: 14 * (1 + 0.1 * noise(ctx, 'cod', HOUR)) * (1 + 0.1 * rain),
      nh4: 0.35 * (1 + 0.2 * noise(ctx, 'nh4', HOUR)) * (1 + 0.08 * rain),
      // Solar-charged battery.
      battery: 12.6 + 0.5 * daylight(ctx.hour) + 0.03 * noise(ctx, 'battery', 10 * MINUTE),
    };
  },
};
