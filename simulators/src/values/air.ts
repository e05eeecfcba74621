import { HOUR, type KindModel, MINUTE, type ModelContext, episode, noise } from './context.js';
import { bell, cycle, rushHours } from './diurnal.js';
import { STRAW_BURNING } from './episodes.js';

/** Particulate matter: traffic rush hours, night-time accumulation under the inversion, straw burning. */
export function particulates(ctx: ModelContext): { pm25: number; pm10: number } {
  const shape = 0.55 + rushHours(ctx.hour) + 0.25 * bell(ctx.hour, 2, 3);
  const burning = 1 + episode(ctx, STRAW_BURNING);
  const pm25 =
    ctx.site * 38 * shape * (1 + 0.12 * noise(ctx, 'pm25.slow', 10 * MINUTE)) * burning +
    1.5 * noise(ctx, 'pm25.fast', MINUTE);
  const pm10 =
    pm25 * (1.65 + 0.1 * noise(ctx, 'pm10.ratio', 30 * MINUTE)) + 2 * noise(ctx, 'pm10.fast', MINUTE);
  return { pm25, pm10 };
}

/** Ambient air station: PM, traffic gases, photochemical ozone and weather. */
export const AIR_QUALITY: KindModel = {
  values(ctx) {
    const rush = rushHours(ctx.hour);
    const burning = episode(ctx, STRAW_BURNING);
    const temperature = 28 + 4.5 * cycle(ctx.hour, 14) + 0.6 * noise(ctx, 'temperature', HOUR);
    return {
      ...particulates(ctx),
      co:
        ctx.site *
        900 *
        (0.6 + 1.1 * rush) *
        (1 + 0.15 * noise(ctx, 'co', 10 * MINUTE)) *
        (1 + 0.5 * burning),
      no2: ctx.site * 30 * (0.5 + rush) * (1 + 0.15 * noise(ctx, 'no2', 10 * MINUTE)),
      so2: ctx.site * 10 * (1 + 0.2 * noise(ctx, 'so2', 20 * MINUTE)),
      // Ozone forms in afternoon sunlight; fresh NO from rush-hour traffic titrates it.
      o3: 15 + 110 * bell(ctx.hour, 13.5, 2.4) * (1 + 0.15 * noise(ctx, 'o3', 15 * MINUTE)) - 10 * rush,
      temperature,
      humidity: 75 - 15 * cycle(ctx.hour, 14) + 3 * noise(ctx, 'humidity', HOUR),
      // Atmospheric tide: two pressure maxima a day, near 10:00 and 22:00.
      pressure:
        1009 + 1.2 * Math.cos(((ctx.hour - 10) / 12) * 2 * Math.PI) + 2 * noise(ctx, 'pressure', 6 * HOUR),
      analyser_status: 0,
    };
  },
};

/** Low-cost laser PM transmitter: same air, its own configuration registers. */
export const PM_SENSOR: KindModel = {
  values: (ctx) => particulates(ctx),
};
