import type { Logger } from 'pino';
import type { StoreConfig } from '../config/schema.js';
import { EmbeddedStore } from './embedded/embedded-store.js';
import { InfluxStore } from './influx/auto-store.js';
import type { TimeSeriesStore } from './types.js';

export function createStore(config: StoreConfig, maxBatchPoints: number, log: Logger): TimeSeriesStore {
  if (config.kind === 'embedded') return new EmbeddedStore(config);
  // A point carries several fields but is one line, so the line budget equals the point budget.
  return new InfluxStore(config, maxBatchPoints, log);
}
