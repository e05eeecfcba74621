import { AlarmSchema } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import {
  AlarmEvaluator,
  type AlarmRule,
  AlarmRulesSchema,
  type AlarmTransition,
  type Observation,
  applyAck,
  applyTransition,
  emptyAlarmState,
  evaluateAlarms,
  toAlarmMessage,
} from '../../../collector/src/quality/index.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T08:00:00+07:00');

const rule = (over: Record<string, unknown>): AlarmRule =>
  AlarmRulesSchema.parse([
    {
      id: 'pm25-1h',
      kind: 'threshold',
      channel: 'pm25',
      comparison: 'max',
      limit: 50,
      hysteresis: 0.1,
      ...over,
    },
  ])[0]!;

const readings = (
  values: number[],
  opts: { station?: string; channel?: string; step?: number } = {},
): Observation[] =>
  values.map((value, i) => ({
    kind: 'reading',
    stationId: opts.station ?? 'st-1',
    channel: opts.channel ?? 'pm25',
    value,
    ts: T0 + i * (opts.step ?? MIN),
  }));

const run = (rules: AlarmRule[], obs: Observation[], now?: number) =>
  evaluateAlarms(emptyAlarmState(), rules, obs, now ?? obs[obs.length - 1]!.ts).transitions;

const summary = (ts: AlarmTransition[]) => ts.map((t) => [t.state, (t.ts - T0) / MIN, t.value]);

describe('threshold rules', () => {
  it('does not flap on a noisy series around the limit (hysteresis)', () => {
    // Limit 50, hysteresis 10 %: raises above 50, clears only at or below 45.
    const noisy = [49, 51, 49.5, 50.5, 48, 52, 47, 46, 50.2, 45.5, 44];
    expect(summary(run([rule({})], readings(noisy)))).toEqual([
      ['raised', 1, 51],
      ['cleared', 10, 44],
    ]);
    // The same series without hysteresis would flap at every crossing.
    expect(run([rule({ hysteresis: 0 })], readings(noisy)).length).toBeGreaterThanOrEqual(8);
  });

  it('raises only after the breach has held for the minimum duration', () => {
    // raiseAfter 10 min. 60 for 5 readings (0…4 min), then 40 resets; 60 again from minute 6 → raised at 16.
    const values = [60, 60, 60, 60, 60, 40, ...Array(12).fill(60)];
    expect(summary(run([rule({ raiseAfterMs: 10 * MIN })], readings(values)))).toEqual([['raised', 16, 60]]);
  });

  it('clears only after staying clear for the minimum duration; a relapse keeps it raised', () => {
    // Raised at 0. Clear (≤ 45) from 1…3, relapse at 4, clear again from 5 → cleared at 5 + 5 = 10.
    const values = [70, 30, 30, 30, 60, 30, 30, 30, 30, 30, 30];
    const t = run([rule({ clearAfterMs: 5 * MIN })], readings(values));
    expect(summary(t)).toEqual([
      ['raised', 0, 70],
      ['cleared', 10, 30],
    ]);
    expect(t[0]!.alarmId).toBe(t[1]!.alarmId);
    expect(t[0]!.alarmId).toBe(`pm25-1h.st-1.${T0}`);
  });

  it('lets time pass: a held breach is raised at since + delay without a new reading', () => {
    const t = run([rule({ raiseAfterMs: 10 * MIN })], readings([80]), T0 + 15 * MIN);
    expect(summary(t)).toEqual([['raised', 10, 80]]);
    expect(run([rule({ raiseAfterMs: 10 * MIN })], readings([80]), T0 + 9 * MIN)).toEqual([]);
  });

  it('handles min (DO) and range (pH) rules', () => {
    const dO = rule({ id: 'do', channel: 'do', comparison: 'min', limit: 5, hysteresis: 0.1 });
    // Breach below 5, clear at or above 5.5.
    expect(summary(run([dO], readings([6, 4.8, 5.2, 5.6], { channel: 'do' })))).toEqual([
      ['raised', 1, 4.8],
      ['cleared', 3, 5.6],
    ]);
    const ph = rule({ id: 'ph', channel: 'ph', comparison: 'range', limit: [6, 8.5], hysteresis: 0.02 });
    // Breach outside 6…8.5, clear inside 6.12…8.33.
    const t = run([ph], readings([7, 8.7, 8.4, 8.2, 5.8], { channel: 'ph' }));
    expect(summary(t)).toEqual([
      ['raised', 1, 8.7],
      ['cleared', 3, 8.2],
      ['raised', 4, 5.8],
    ]);
    expect(t[0]!.limit).toBe(8.5);
    expect(t[2]!.limit).toBe(6);
  });

  it('applies per-station rules and matching averaging periods only', () => {
    const onlyA = rule({ stationIds: ['st-a'] });
    expect(run([onlyA], readings([90], { station: 'st-b' }))).toEqual([]);
    expect(run([onlyA], readings([90], { station: 'st-a' })).length).toBe(1);
    const daily = rule({ id: 'pm25-24h', averaging: '24h' });
    expect(run([daily], readings([90]))).toEqual([]);
    expect(
      run(
        [daily],
        [{ kind: 'reading', stationId: 'st-1', channel: 'pm25', value: 90, ts: T0, averaging: '24h' }],
      ).length,
    ).toBe(1);
  });

  it('rejects malformed rule sets', () => {
    expect(() =>
      AlarmRulesSchema.parse([{ id: 'x', kind: 'threshold', channel: 'ph', comparison: 'range', limit: 7 }]),
    ).toThrow(/range rule takes limit/);
    expect(() =>
      AlarmRulesSchema.parse([
        { id: 'x', kind: 'station-silent', silentForMs: 1000 },
        { id: 'x', kind: 'station-silent', silentForMs: 2000 },
      ]),
    ).toThrow(/duplicate rule id x/);
  });
});

describe('device-health rules with an injected clock', () => {
  it('raises "station silent" when nothing arrives for N minutes, clears on the next message', () => {
    let now = T0;
    const engine = new AlarmEvaluator(
      [{ id: 'silent-30', kind: 'station-silent', silentForMs: 30 * MIN }],
      () => now,
    );
    expect(engine.observe([{ kind: 'seen', stationId: 'st-1', ts: T0 }])).toEqual([]);
    now = T0 + 29 * MIN;
    expect(engine.tick()).toEqual([]);
    now = T0 + 31 * MIN;
    const raised = engine.tick();
    expect(summary(raised)).toEqual([['raised', 30, undefined]]);
    expect(raised[0]!.message).toMatch(/no data from st-1 since/);
    now = T0 + 45 * MIN;
    expect(engine.tick()).toEqual([]); // no repeat while still silent
    const cleared = engine.observe([...readings([10]).map((o) => ({ ...o, ts: T0 + 40 * MIN }))]);
    expect(summary(cleared)).toEqual([['cleared', 40, undefined]]);
    expect(cleared[0]!.alarmId).toBe(raised[0]!.alarmId);
  });

  it('detects silence between two late-delivered observations', () => {
    const t = run(
      [AlarmRulesSchema.parse([{ id: 'silent', kind: 'station-silent', silentForMs: 30 * MIN }])[0]!],
      [
        { kind: 'seen', stationId: 'st-1', ts: T0 },
        { kind: 'seen', stationId: 'st-1', ts: T0 + 60 * MIN },
      ],
    );
    expect(summary(t)).toEqual([
      ['raised', 30, undefined],
      ['cleared', 60, undefined],
    ]);
  });

  it('raises "cluster offline" after the grace period and "amplifier fault" at once', () => {
    let now = T0;
    const engine = new AlarmEvaluator(
      [
        { id: 'offline', kind: 'cluster-offline', offlineForMs: 5 * MIN, severity: 'critical' },
        { id: 'amp', kind: 'amplifier-fault' },
      ],
      () => now,
    );
    expect(engine.observe([{ kind: 'presence', stationId: 'spk-7', online: false, ts: T0 }])).toEqual([]);
    now = T0 + 6 * MIN;
    const off = engine.tick();
    expect(summary(off)).toEqual([['raised', 5, undefined]]);
    expect(off[0]).toMatchObject({ severity: 'critical', message: 'loudspeaker cluster spk-7 offline' });
    const back = engine.observe([
      { kind: 'presence', stationId: 'spk-7', online: true, ts: T0 + 7 * MIN },
      { kind: 'amplifier', stationId: 'spk-7', fault: true, ts: T0 + 7 * MIN },
    ]);
    expect(back.map((t) => [t.ruleId, t.state])).toEqual([
      ['offline', 'cleared'],
      ['amp', 'raised'],
    ]);
  });
});

describe('alarm lifecycle and contract messages', () => {
  it('records raised → acknowledged → cleared and publishes contract-valid messages', () => {
    const [raised, cleared] = run(
      [rule({ standard: 'QCVN 05:2023/BTNMT', unit: 'µg/m³', severity: 'critical' })],
      readings([80, 40]),
    );
    let record = applyTransition(undefined, raised!);
    const first = toAlarmMessage(record);
    expect(AlarmSchema.safeParse(first).success).toBe(true);
    expect(first).toMatchObject({
      state: 'raised',
      value: 80,
      limit: 50,
      unit: 'µg/m³',
      standard: 'QCVN 05:2023/BTNMT',
    });

    const acked = applyAck(record, 'officer.lan', T0 + 30_000);
    if (!acked.ok) throw new Error(acked.error);
    record = acked.record;
    expect(toAlarmMessage(record)).toMatchObject({
      state: 'acknowledged',
      by: 'officer.lan',
      ts: T0 + 30_000,
    });
    expect(applyAck(record, 'someone', T0 + 40_000)).toEqual({
      ok: false,
      error: `alarm ${record.id} was already acknowledged by officer.lan`,
    });

    record = applyTransition(record, cleared!);
    expect(record).toMatchObject({ state: 'cleared', acknowledgedBy: 'officer.lan', clearedAt: T0 + MIN });
    expect(AlarmSchema.parse(toAlarmMessage(record)).state).toBe('cleared');
    expect(applyAck(record, 'x', T0 + 2 * MIN).ok).toBe(false);
    expect(() => applyTransition(undefined, cleared!)).toThrow(/no such raised alarm/);
  });

  it('keeps alarm ids within the contract length', () => {
    const long = rule({ id: 'r'.repeat(64) });
    const [t] = run([long], readings([99], { station: 's'.repeat(60) }));
    expect(t!.alarmId.length).toBeLessThanOrEqual(64);
    expect(AlarmSchema.safeParse(toAlarmMessage(applyTransition(undefined, t!))).success).toBe(true);
  });
});
