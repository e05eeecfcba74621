/** Air and water quality: VN_AQI (Decision 1459/QĐ-TCMT), VN_WQI (Decision 1460/QĐ-TCMT), QCVN limits, alarms. */
export {
  AQI_LEVELS,
  BREAKPOINTS,
  POLLUTANTS,
  roundIndex,
  subIndex,
  type BreakpointScale,
  type Pollutant,
  type SubIndex,
} from './aqi-breakpoints.js';
export { AQI_CATEGORIES, aqiCategory, rgbHex, type AqiCategory } from './aqi-categories.js';
export { combineSubIndices, type AqiResult } from './aqi-result.js';
export { NOWCAST_HOURS, nowcast, type NowcastResult } from './nowcast.js';
export {
  HOUR_MS,
  VIETNAM_OFFSET_MS,
  toHourlySeries,
  valueAt,
  vietnamDate,
  vietnamDayStart,
  type Concentrations,
  type HourlyRecord,
  type HourlySeries,
} from './hourly-series.js';
export { hourlyAqi, nowcastAt, type HourlyAqiResult } from './hourly-aqi.js';
export {
  DEFAULT_DAILY_OPTIONS,
  O3_8H_CEILING,
  dailyAqi,
  type DailyAqiOptions,
  type DailyAqiResult,
} from './daily-aqi.js';
export { aqiReport, parseHourlyCsv, type AqiReportLine } from './aqi-report.js';
export {
  GROUP_PARAMETERS,
  WQI_GROUPS,
  WqiSampleSchema,
  computeWqi,
  type WqiGroup,
  type WqiResult,
  type WqiSample,
} from './wqi.js';
export { WQI_CATEGORIES, wqiCategory, type WqiCategory } from './wqi-categories.js';
export { doSaturationMgL, doSaturationPercent } from './wqi-tables.js';
export { parseSamplesCsv, wqiReport, type WqiReportLine } from './wqi-report.js';
export {
  QCVN_05_2023,
  QCVN_05_LIMITS,
  QCVN_08_2023,
  QCVN_08_LIMITS,
  QCVN_LIMITS,
  limitsInForce,
  type Averaging,
  type QcvnLimit,
  type WaterLevel,
} from './qcvn-limits.js';
export {
  AlarmRuleSchema,
  AlarmRulesSchema,
  qcvnThresholdRules,
  type AlarmRule,
  type ThresholdRule,
} from './alarm-rules.js';
export {
  emptyAlarmState,
  evaluateAlarms,
  thresholdVerdict,
  type AlarmEngineState,
  type Observation,
} from './alarm-engine.js';
export { AlarmEvaluator } from './alarm-evaluator.js';
export {
  alarmIdFor,
  applyAck,
  applyTransition,
  toAlarmMessage,
  type AlarmRecord,
  type AlarmTransition,
  type AckOutcome,
} from './alarm-lifecycle.js';
export { CsvInputError } from './csv-table.js';
