import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVINCE_AREA_ID, writeAreasFile } from '../../../scripts/province/areas-file.js';
import { loadProvince } from '../../../scripts/province/province.js';
import { tempDir } from '../../harness/index.js';

describe('the simulated province file', () => {
  it('holds Tây Ninh as deployed: 19 communes (13 on the border), 20 air and 10 water stations in them', () => {
    const province = loadProvince();
    const kinds = province.stations.map((s) => s.kind);
    expect(province.communes).toHaveLength(19);
    expect(province.communes.filter((c) => c.border)).toHaveLength(13);
    expect(kinds.filter((k) => k === 'air')).toHaveLength(20);
    expect(kinds.filter((k) => k === 'water')).toHaveLength(10);
    const withStations = new Set(province.stations.map((s) => s.commune));
    expect(province.communes.filter((c) => withStations.has(c.id)).length).toBeGreaterThanOrEqual(17);
    // The merged province (former Tây Ninh and Long An), WGS84.
    for (const place of [...province.communes, ...province.stations]) {
      expect(place.lat, JSON.stringify(place)).toBeGreaterThan(10.3);
      expect(place.lat, JSON.stringify(place)).toBeLessThan(11.8);
      expect(place.lon, JSON.stringify(place)).toBeGreaterThan(105.5);
      expect(place.lon, JSON.stringify(place)).toBeLessThan(106.8);
    }
  });

  it('spells communes with Vietnamese diacritics and keeps the former district a label, not an area', async () => {
    const province = loadProvince();
    for (const c of province.communes) expect(c.name).toMatch(/^(Xã|Phường) \p{Lu}/u);
    expect(province.communes.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'Xã Tân Lập',
        'Xã Phước Vinh',
        'Xã Bến Cầu',
        'Xã Phước Chỉ',
        'Phường Tân Ninh',
      ]),
    );
    const { district: _, ...withoutDistrict } = province.communes[0] ?? { district: undefined };
    const file = join(await tempDir('xs-province-'), 'no-district.json');
    writeFileSync(
      file,
      JSON.stringify({ ...province, communes: [withoutDistrict, ...province.communes.slice(1)] }),
    );
    expect(loadProvince(file).communes[0]?.district).toBeUndefined();
    const areas = join(await tempDir('xs-areas-'), 'areas.json');
    writeAreasFile(province, areas);
    const tree = JSON.parse(readFileSync(areas, 'utf8')) as {
      areas: { kind: string; parentId: string | null }[];
    };
    expect(new Set(tree.areas.map((a) => a.kind))).toEqual(new Set(['province', 'commune']));
    expect(tree.areas.filter((a) => a.kind === 'commune').every((a) => a.parentId === PROVINCE_AREA_ID)).toBe(
      true,
    );
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
