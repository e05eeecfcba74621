import { DeviceIdSchema } from '@xaso/device-profiles/contract';
import { describe, expect, it } from 'vitest';
import { planClusters } from '../../../scripts/fleet/speaker-province.js';
import { loadProvince } from '../../../scripts/province/province.js';

describe('planClusters', () => {
  const province = loadProvince();
  const plans = planClusters(province, 200);

  it('places exactly 200 clusters over every commune of the province file, with valid unique ids', () => {
    expect(plans).toHaveLength(200);
    expect(new Set(plans.map((p) => p.id)).size).toBe(200);
    for (const p of plans) expect(DeviceIdSchema.safeParse(p.id).success, p.id).toBe(true);
    expect(new Set(plans.map((p) => p.communeId))).toEqual(new Set(province.communes.map((c) => c.id)));
  });

  it('gives border communes about twice the clusters of inland ones', () => {
    const count = (id: string) => plans.filter((p) => p.communeId === id).length;
    const border = province.communes.filter((c) => c.border).map((c) => count(c.id));
    const inland = province.communes.filter((c) => !c.border).map((c) => count(c.id));
    expect(Math.min(...border)).toBeGreaterThanOrEqual(2 * Math.min(...inland) - 1);
    expect(Math.max(...inland)).toBeLessThan(Math.min(...border));
  });

  it('is stable across starts', () => {
    expect(planClusters(province, 200)).toEqual(plans);
  });
});
