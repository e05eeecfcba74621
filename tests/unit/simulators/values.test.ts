import { builtinProfiles, getProfile } from '@xaso/device-profiles';
import {
  type EpisodeShape,
  RAIN_RUNOFF,
  STRAW_BURNING,
  ValueModel,
  episodeLevel,
  localHour,
} from '@xaso/simulators';
import { describe, expect, it } from 'vitest';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-01-01 00:00 in Asia/Ho_Chi_Minh (UTC+7). */
const LOCAL_MIDNIGHT = Date.UTC(2025, 11, 31, 17, 0, 0);

function meanAt(model: ValueModel, channel: string, localHourOfDay: number, days: number): number {
  let sum = 0;
  for (let d = 0; d < days; d++)
    sum += model.at(LOCAL_MIDNIGHT + d * DAY + localHourOfDay * HOUR).get(channel) ?? Number.NaN;
  return sum / days;
}

describe('value models', () => {
  it('knows Vietnamese local time', () => {
    expect(localHour(LOCAL_MIDNIGHT)).toBe(0);
    expect(localHour(Date.UTC(2026, 0, 1, 0, 30))).toBe(7.5);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const profile = getProfile('air-station-aqms');
    const t = LOCAL_MIDNIGHT + 7.5 * HOUR + 1234;
    const a = new ValueModel(profile, 42).at(t);
    const b = new ValueModel(profile, 42).at(t);
    const c = new ValueModel(profile, 43).at(t);
    expect([...a]).toEqual([...b]);
    expect(a.get('pm25')).not.toBe(c.get('pm25'));
  });

  it('stays inside every register range for every shipped profile over two months', () => {
    for (const profile of builtinProfiles().values()) {
      const model = new ValueModel(profile, 7);
      const held = model.initialHeld(profile.transport.unitId);
      for (let t = LOCAL_MIDNIGHT; t < LOCAL_MIDNIGHT + 60 * DAY; t += 37 * 60_000) {
        const values = model.at(t, held);
        for (const reg of profile.registers) {
          const v = values.get(reg.name);
          expect(Number.isFinite(v), `${profile.name}.${reg.name}`).toBe(true);
          if (reg.range) {
            expect(v, `${profile.name}.${reg.name} at ${new Date(t).toISOString()}`).toBeGreaterThanOrEqual(
              reg.range[0],
            );
            expect(v).toBeLessThanOrEqual(reg.range[1]);
          }
        }
      }
    }
  });

  it('follows the diurnal cycles of a Vietnamese city', () => {
    const air = new ValueModel(getProfile('air-station-aqms'), 3);
    expect(meanAt(air, 'pm25', 7.5, 40)).toBeGreaterThan(1.4 * meanAt(air, 'pm25', 3, 40));
    expect(meanAt(air, 'pm25', 18.5, 40)).toBeGreaterThan(1.4 * meanAt(air, 'pm25', 13, 40));
    expect(meanAt(air, 'no2', 7.5, 40)).toBeGreaterThan(meanAt(air, 'no2', 3, 40));
    expect(meanAt(air, 'o3', 13.5, 40)).toBeGreaterThan(3 * meanAt(air, 'o3', 5, 40));
    expect(meanAt(air, 'temperature', 14, 40)).toBeGreaterThan(meanAt(air, 'temperature', 4, 40) + 5);
    expect(meanAt(air, 'humidity', 14, 40)).toBeLessThan(meanAt(air, 'humidity', 4, 40) - 15);
    const water = new ValueModel(getProfile('water-multiprobe'), 3);
    expect(meanAt(water, 'do', 15, 40)).toBeGreaterThan(meanAt(water, 'do', 5, 40) + 1.5);
    const doValues = Array.from(
      { length: 24 * 10 },
      (_, h) => water.at(LOCAL_MIDNIGHT + h * HOUR).get('do') ?? 0,
    );
    expect(Math.min(...doValues)).toBeGreaterThan(3.5);
    expect(Math.max(...doValues)).toBeLessThan(8.5);
    const ph = Array.from({ length: 24 * 10 }, (_, h) => water.at(LOCAL_MIDNIGHT + h * HOUR).get('ph') ?? 0);
    expect(Math.min(...ph)).toBeGreaterThan(6.5);
    expect(Math.max(...ph)).toBeLessThan(8);
  });

  it('has occasional straw-burning and rain episodes that lift PM and turbidity several-fold', () => {
    const seed = 5;
    const air = new ValueModel(getProfile('air-station-aqms'), seed);
    const water = new ValueModel(getProfile('water-multiprobe'), seed);
    const check = (shape: EpisodeShape, model: ValueModel, channel: string) => {
      const days = new Set<number>();
      for (let t = LOCAL_MIDNIGHT; t < LOCAL_MIDNIGHT + 60 * DAY; t += 10 * 60_000) {
        if (episodeLevel(seed, shape, t) < 2) continue;
        days.add(Math.floor((t - LOCAL_MIDNIGHT) / DAY));
        const usual = Math.min(model.at(t - DAY).get(channel) ?? 0, model.at(t + 2 * DAY).get(channel) ?? 0);
        expect(model.at(t).get(channel), `${channel} at ${new Date(t).toISOString()}`).toBeGreaterThan(
          2 * usual,
        );
      }
      // Occasional: some days in two months, far from every day.
      expect(days.size).toBeGreaterThan(3);
      expect(days.size).toBeLessThan(30);
    };
    check(STRAW_BURNING, air, 'pm25');
    check(RAIN_RUNOFF, water, 'turbidity');
  });

  it('models the speaker controller board around the relay and volume the master set', () => {
    const model = new ValueModel(getProfile('speaker-controller'), 9);
    const off = model.initialHeld(1);
    expect(off.get('amplifier_relay')).toBe(0);
    const on = new Map(off).set('amplifier_relay', 1);
    for (let h = 0; h < 48; h++) {
      const t = LOCAL_MIDNIGHT + h * HOUR;
      const idle = model.at(t, off);
      const playing = model.at(t, on);
      expect(idle.get('amplifier_current')).toBeLessThan(0.1);
      expect(playing.get('amplifier_current')).toBeGreaterThan(2);
      expect(playing.get('amplifier_current')).toBeLessThan(4);
      expect(Math.abs((idle.get('mains_voltage') ?? 0) - 220)).toBeLessThan(15);
      expect(Math.abs((idle.get('battery_voltage') ?? 0) - 13.2)).toBeLessThan(0.3);
      expect(idle.get('door_open')).toBe(0);
      expect(playing.get('volume')).toBe(70);
    }
  });
});
