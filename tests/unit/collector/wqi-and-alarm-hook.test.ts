import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type AlarmChange, AlarmService } from '../../../collector/src/alarms/alarm-service.js';
import { AlarmStore } from '../../../collector/src/alarms/alarm-store.js';
import { computeWqi } from '../../../collector/src/quality/index.js';
import { wqiReportLine } from '../../../collector/src/quality/wqi-report.js';
import { openStateDb } from '../../../collector/src/state/state-db.js';

describe('VN_WQI says which parameter groups it was computed without', () => {
  // Groups I, IV and V (no pesticides II, no heavy metals III): Decision 1460 allows a value.
  const sample = {
    ph: 7.0,
    temperature: 25,
    do: 7.0,
    bod5: 5,
    cod: 12,
    nh4: 0.45,
    po4: 0.15,
    coliform: 6000,
    ecoli: 30,
  };

  it('computes the value and names the missing groups in the result and the report', () => {
    const r = computeWqi(sample);
    expect(r.wqi).toBe(82);
    expect(r.missingGroups).toEqual(['II', 'III']);
    expect(r.notes).toEqual([
      expect.stringMatching(/^computed without groups II \(pesticides.*; III \(heavy metals.*not measured$/),
    ]);
    expect(wqiReportLine(Date.UTC(2026, 5, 1), r).notes).toEqual(r.notes);
  });

  it('adds no such note when every group was measured', () => {
    const r = computeWqi({
      ...sample,
      aldrin: 0.05,
      bhc: 0.01,
      dieldrin: 0.01,
      ddts: 0.001,
      heptachlor: 0.01,
      as: 0.01,
      cd: 0.001,
      pb: 0.01,
      cr6: 0.01,
      cu: 0.1,
      zn: 0.5,
      hg: 0.0005,
    });
    expect(r.missingGroups).toEqual([]);
    expect(r.notes.some((n) => n.startsWith('computed without'))).toBe(false);
    expect(r.wqi).not.toBeNull();
  });

  it('gives no value, and says why, with too few groups', () => {
    const r = computeWqi({ ph: 7, temperature: 25, do: 7, bod5: 5, cod: 12, nh4: 0.45 });
    expect(r.wqi).toBeNull();
    expect(r.missingGroups).toEqual(['II', 'III', 'V']);
    expect(r.reason).toMatch(/needs at least 3 of the 5 parameter groups/);
  });
});

describe('alarm changes reach in-process listeners with the commune (automatic warning hook)', () => {
  const rules = [
    {
      id: 'pm25-high',
      kind: 'threshold',
      channel: 'pm25',
      comparison: 'max',
      limit: 50,
      autoBroadcast: true,
    },
    { id: 'pm10-high', kind: 'threshold', channel: 'pm10', comparison: 'max', limit: 100 },
  ];
  const areas: Record<string, string> = { 'aq-1': 'xa-tan-dong' };

  function service(now: { t: number }) {
    const published: string[] = [];
    const s = new AlarmService(
      rules,
      new AlarmStore(openStateDb(':memory:')),
      (topic) => published.push(topic),
      pino({ level: 'silent' }),
      () => now.t,
      (station) => areas[station],
    );
    return { s, published };
  }

  it('raised, acknowledged and cleared, each with commune and the rule’s autoBroadcast flag', () => {
    const now = { t: Date.UTC(2026, 10, 30, 3) };
    const { s, published } = service(now);
    const changes: AlarmChange[] = [];
    s.onChange((c) => changes.push(c));
    s.feed([{ kind: 'reading', stationId: 'aq-1', channel: 'pm25', value: 80, ts: now.t }]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      communeId: 'xa-tan-dong',
      autoBroadcast: true,
      alarm: { ruleId: 'pm25-high', stationId: 'aq-1', state: 'raised', value: 80 },
    });
    const id = changes[0]?.alarm.id ?? '';
    expect(s.acknowledge(id, 'can-bo-xa').ok).toBe(true);
    now.t += 60_000;
    s.feed([{ kind: 'reading', stationId: 'aq-1', channel: 'pm25', value: 10, ts: now.t }]);
    expect(changes.map((c) => c.alarm.state)).toEqual(['raised', 'acknowledged', 'cleared']);
    expect(published).toHaveLength(3);
  });

  it('flags rules without autoBroadcast and stations without a commune; a failing listener blocks nothing', () => {
    const now = { t: Date.UTC(2026, 10, 30, 3) };
    const { s, published } = service(now);
    const changes: AlarmChange[] = [];
    s.onChange(() => {
      throw new Error('broadcast module down');
    });
    const unsubscribe = s.onChange((c) => changes.push(c));
    s.feed([
      { kind: 'reading', stationId: 'aq-1', channel: 'pm10', value: 300, ts: now.t },
      { kind: 'reading', stationId: 'aq-2', channel: 'pm25', value: 90, ts: now.t },
    ]);
    expect(changes.map((c) => [c.alarm.stationId, c.alarm.ruleId, c.communeId, c.autoBroadcast])).toEqual([
      ['aq-1', 'pm10-high', 'xa-tan-dong', false],
      ['aq-2', 'pm25-high', null, true],
    ]);
    expect(published).toHaveLength(2);
    unsubscribe();
    now.t += 60_000;
    s.feed([{ kind: 'reading', stationId: 'aq-2', channel: 'pm25', value: 5, ts: now.t }]);
    expect(changes).toHaveLength(2);
    expect(s.open().map((a) => a.ruleId)).toEqual(['pm10-high']);
  });
});
