import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Province } from './province.js';

export const PROVINCE_AREA_ID = 'tay-ninh';

/** The console's area tree for the province (province → communes), as the JSON file it seeds from. */
export function writeAreasFile(province: Province, file: string): string {
  const areas = [
    { id: PROVINCE_AREA_ID, parentId: null, name: `Tỉnh ${province.province}`, kind: 'province' },
    ...province.communes.map((c) => ({
      id: c.id,
      parentId: PROVINCE_AREA_ID,
      name: c.district ? `${c.name} (${c.district} cũ)` : c.name,
      kind: 'commune',
      lat: c.lat,
      lon: c.lon,
    })),
  ];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ areas }, null, 2)}\n`);
  return file;
}
