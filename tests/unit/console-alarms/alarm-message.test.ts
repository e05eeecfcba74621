import { AlarmSchema } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { applyTransition, toAlarmMessage } from '../../../collector/src/quality/index.js';

const raised = applyTransition(undefined, {
  alarmId: 'pm25-1h:aqms-1',
  ruleId: 'pm25-1h',
  stationId: 'aqms-1',
  state: 'raised',
  ts: 1_700_000_000_000,
  severity: 'critical',
  message: 'PM2.5 vượt QCVN',
  channel: 'pm25',
  value: 80,
  limit: 50,
  unit: 'µg/m³',
});

describe("the collector's alarm message", () => {
  it("carries the rule's autoBroadcast flag for the console", () => {
    expect(AlarmSchema.parse(toAlarmMessage(raised, true)).autoBroadcast).toBe(true);
    expect(AlarmSchema.parse(toAlarmMessage(raised, false)).autoBroadcast).toBe(false);
    expect(JSON.stringify(toAlarmMessage(raised))).not.toContain('autoBroadcast');
  });
});
