import { describe, expect, it } from 'vitest';
import { AlarmEvaluator, type Observation } from '../../../collector/src/quality/index.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T08:00:00+07:00');
const RULES = [
  { id: 'silent-30', kind: 'station-silent', silentForMs: 30 * MIN },
  { id: 'pm25', kind: 'threshold', channel: 'pm25', comparison: 'max', limit: 50, raiseAfterMs: 5 * MIN },
  { id: 'offline', kind: 'cluster-offline', offlineForMs: 2 * MIN },
];
const seen = (stationId: string, ts: number): Observation => ({ kind: 'seen', stationId, ts });

describe('the alarm engine at region scale', () => {
  it('raises exactly the stations that went quiet, each once, in the order they went quiet, across a restart', () => {
    let now = T0;
    let engine = new AlarmEvaluator(RULES, () => now);
    // 2,000 stations, station i last heard from at T0 + i × 100 ms.
    engine.observe(Array.from({ length: 2000 }, (_, i) => seen(`st-${i}`, T0 + i * 100)));
    now = T0 + 30 * MIN + 99_950;
    const first = engine.tick().map((t) => t.stationId);
    expect(first).toEqual(Array.from({ length: 1000 }, (_, i) => `st-${i}`));
    // Heard from again: cleared, and watched from the new time on.
    now += 10;
    const cleared = engine.observe([seen('st-5', now)]);
    expect(cleared.map((t) => [t.stationId, t.state])).toEqual([['st-5', 'cleared']]);
    // A restart from the saved state carries on where the engine stopped: no repeats, the rest on time.
    engine = new AlarmEvaluator(RULES, () => now, engine.state);
    expect(engine.tick()).toEqual([]);
    now = T0 + 30 * MIN + 2000 * 100;
    const rest = engine.tick().map((t) => t.stationId);
    expect(rest).toEqual(Array.from({ length: 1000 }, (_, i) => `st-${1000 + i}`));
    now += 30 * MIN;
    expect(engine.tick().map((t) => t.stationId)).toEqual(['st-5']);
  });

  it('costs about the same per message with 20,000 stations as with 100', () => {
    const perMessage = (stations: number) => {
      let now = T0;
      const engine = new AlarmEvaluator(RULES, () => now);
      engine.observe(Array.from({ length: stations }, (_, i) => seen(`st-${i}`, T0)));
      // Some conditions pending, as in a real province: offline clusters within their grace period.
      engine.observe(
        Array.from({ length: 20 }, (_, i) => ({
          kind: 'presence',
          stationId: `st-${i}`,
          online: false,
          ts: T0,
        })),
      );
      const start = performance.now();
      for (let i = 0; i < 3000; i++) {
        now = T0 + i * 100;
        engine.observe([
          { kind: 'reading', stationId: `st-${(i * 7919) % stations}`, channel: 'pm25', value: 20, ts: now },
        ]);
      }
      return (performance.now() - start) / 3000;
    };
    perMessage(100);
    const small = Math.min(perMessage(100), perMessage(100));
    const large = Math.min(perMessage(20_000), perMessage(20_000));
    // Scanning every station per message (as before) made this ratio ~100.
    expect(large / small).toBeLessThan(5);
  });
});
