/** Stations, charts, VN_AQI/WQI, alarms and environment reports. Vietnamese first; `enEnvironment` must have exactly these keys. */
export const viEnvironment = {} as const;

export const enEnvironment: Record<keyof typeof viEnvironment, string> = {};
