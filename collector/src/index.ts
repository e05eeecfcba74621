export { type Collector, type StartOptions, startCollector } from './collector.js';
export { ConfigError, loadConfig } from './config/load.js';
export * from './config/schema.js';
export { DeadLetters, type DeadLetter } from './ingest/dead-letters.js';
export type { MessageObserver, MessageOutcome } from './ingest/message-pipeline.js';
export { INGEST_FILTERS } from './ingest/mqtt-ingest.js';
export { MEASUREMENTS } from './schema/measurements.js';
export { createStore } from './store/create-store.js';
export { EmbeddedStore } from './store/embedded/embedded-store.js';
export { InfluxStore } from './store/influx/auto-store.js';
export { detectInfluxApi } from './store/influx/detect-version.js';
export { InfluxV1Store } from './store/influx/v1-store.js';
export { InfluxV2Store } from './store/influx/v2-store.js';
export * from './store/types.js';
export { AlarmService, type AlarmChange, type AlarmListener } from './alarms/alarm-service.js';
export { IndexScheduler } from './derive/index-scheduler.js';
export {
  AQI_CATEGORIES,
  WQI_CATEGORIES,
  aqiCategory,
  dailyAqi,
  hourlyAqi,
  limitsInForce,
  rgbHex,
  toHourlySeries,
  vietnamDate,
  wqiCategory,
  type AlarmRecord,
  type QcvnLimit,
} from './quality/index.js';
