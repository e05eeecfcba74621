import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceIdSchema, GroupIdSchema } from '@xaso/device-profiles/contract';
import { z } from 'zod';

const LatSchema = z.number().min(-90).max(90);
const LonSchema = z.number().min(-180).max(180);

export const CommuneSchema = z.strictObject({
  id: GroupIdSchema,
  name: z.string().min(1),
  /** The district it lay in before the 2025 reform removed districts: a label only, never an area level. */
  district: z.string().min(1).optional(),
  /** On the Cambodian border: these communes were the first to get smart loudspeakers. */
  border: z.boolean(),
  lat: LatSchema,
  lon: LonSchema,
});

/** The instrument each kind of station carries, as a built-in device profile. */
export const STATION_PROFILES = { air: 'air-station-aqms', water: 'water-multiprobe' } as const;

export const StationSchema = z.strictObject({
  /** Also the id of the station's gateway (its MQTT username). */
  id: DeviceIdSchema,
  kind: z.enum(['air', 'water']),
  commune: GroupIdSchema,
  site: z.string().min(1),
  lat: LatSchema,
  lon: LonSchema,
});

export const ProvinceSchema = z
  .strictObject({
    province: z.string().min(1),
    timezone: z.string().min(1),
    note: z.string().optional(),
    communes: z.array(CommuneSchema).min(1),
    stations: z.array(StationSchema),
  })
  .superRefine((p, ctx) => {
    const communes = new Set(p.communes.map((c) => c.id));
    const seen = new Set<string>();
    p.stations.forEach((s, i) => {
      if (!communes.has(s.commune))
        ctx.addIssue({
          code: 'custom',
          path: ['stations', i, 'commune'],
          message: `unknown commune ${s.commune}`,
        });
      if (seen.has(s.id))
        ctx.addIssue({ code: 'custom', path: ['stations', i, 'id'], message: `duplicate station ${s.id}` });
      seen.add(s.id);
    });
  });

export type Commune = z.infer<typeof CommuneSchema>;
export type Station = z.infer<typeof StationSchema>;
export type Province = z.infer<typeof ProvinceSchema>;

export const TAY_NINH_FILE = join(import.meta.dirname, 'tay-ninh.json');

/** Reads and validates a province file; errors name the file and the field. */
export function loadProvince(file: string = TAY_NINH_FILE): Province {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read province file ${file}: ${(err as Error).message}`);
  }
  const result = ProvinceSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`province file ${file} is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}

export function profileOf(station: Station): string {
  return STATION_PROFILES[station.kind];
}
