import type { ConsoleContext, TimeSeriesReader } from '../app/env.js';
import { HttpError } from '../app/http-error.js';

/** The store, or a 503 that says what is missing. */
export function storeOf(ctx: Pick<ConsoleContext, 'timeSeries'>): TimeSeriesReader {
  if (!ctx.timeSeries)
    throw new HttpError(
      503,
      'unavailable',
      "no time-series store configured: set the console's timeSeries to the collector's store settings",
    );
  return ctx.timeSeries;
}
