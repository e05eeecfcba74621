import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../console/src/app/http-error.js';
import { storeOf } from '../../../console/src/environment/availability.js';
import { breaks, limitsFor } from '../../../console/src/environment/channels.js';

describe('QCVN limits per channel', () => {
  it('picks the PM2.5 24-hour limit in force on the date (50 until 2025, 45 from 2026)', () => {
    expect(limitsFor('air', 'pm25', '2025-06-01')).toEqual([
      expect.objectContaining({ averaging: '24h', limit: 50, standard: 'QCVN 05:2023/BTNMT' }),
    ]);
    expect(limitsFor('air', 'pm25', '2026-02-01')).toEqual([expect.objectContaining({ limit: 45 })]);
    expect(
      limitsFor('air', 'o3', '2026-02-01')
        .map((l) => l.averaging)
        .sort(),
    ).toEqual(['1h', '8h']);
    expect(limitsFor('air', 'temperature', '2026-02-01')).toEqual([]);
  });

  it('reads water limits at level B: DO is a minimum, pH a range', () => {
    const [dissolvedOxygen] = limitsFor('water', 'do', '2026-02-01');
    const [ph] = limitsFor('water', 'ph', '2026-02-01');
    expect(dissolvedOxygen).toMatchObject({ comparison: 'min', limit: 5 });
    expect(ph).toMatchObject({ comparison: 'range', limit: [6, 8.5] });
    if (!dissolvedOxygen || !ph) throw new Error('limits missing');
    expect(breaks(dissolvedOxygen, 4.9)).toBe(true);
    expect(breaks(dissolvedOxygen, 5)).toBe(false);
    expect(breaks(ph, 5.9)).toBe(true);
    expect(breaks(ph, 8.6)).toBe(true);
    expect(breaks(ph, 7)).toBe(false);
  });

  it('answers 503 naming the missing setting when the console has no time-series store', () => {
    expect(() => storeOf({})).toThrow(HttpError);
    try {
      storeOf({});
    } catch (err) {
      expect((err as HttpError).status).toBe(503);
      expect((err as HttpError).message).toContain('timeSeries');
    }
  });
});
