import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProvince } from '../../../scripts/province/province.js';
import { tempDir } from '../../harness/index.js';

describe('the simulated province file', () => {
  it('holds Tây Ninh as deployed: 20 air and 10 water stations in its communes, inside the province', () => {
    const province = loadProvince();
    const kinds = province.stations.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'air')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'water')).toHaveLength(10);
    expect(province.communes.filter((c) => c.border).length).toBeGreaterThanOrEqual(8);
    for (const place of [...province.communes, ...province.stations]) {
      expect(place.lat, JSON.stringify(place)).toBeGreaterThan(10.9);
      expect(place.lat, JSON.stringify(place)).toBeLessThan(11.8);
      expect(place.lon, JSON.stringify(place)).toBeGreaterThan(105.8);
      expect(place.lon, JSON.stringify(place)).toBeLessThan(106.5);
    }
  });

  it('names the field when a station points at an unknown commune or repeats an id', async () => {
    const file = join(await tempDir('xs-province-'), 'bad.json');
    const province = loadProvince();
    const [first] = province.stations;
    if (!first) throw new Error('no stations');
    writeFileSync(
      file,
      JSON.stringify({ ...province, stations: [{ ...first, commune: 'xa-khong-co' }, first, first] }),
    );
    expect(() => loadProvince(file)).toThrow(/stations\.0\.commune: unknown commune xa-khong-co/);
    expect(() => loadProvince(file)).toThrow(/stations\.2\.id: duplicate station/);
  });
});
