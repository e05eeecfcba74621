import { type QcvnLimit, limitsInForce } from '@xaso/collector';

export type StationKind = 'air' | 'water';

export interface Channel {
  field: string;
  unit: string;
  nameVi: string;
  nameEn: string;
}

/** The fields the collector writes per measurement (docs/data-model.md), in the order a page lists them. */
export const CHANNELS: Record<StationKind, readonly Channel[]> = {
  air: [
    { field: 'pm25', unit: 'µg/m³', nameVi: 'Bụi PM2.5', nameEn: 'PM2.5' },
    { field: 'pm10', unit: 'µg/m³', nameVi: 'Bụi PM10', nameEn: 'PM10' },
    { field: 'o3', unit: 'µg/m³', nameVi: 'Ozon (O₃)', nameEn: 'Ozone (O₃)' },
    { field: 'no2', unit: 'µg/m³', nameVi: 'Nitơ điôxít (NO₂)', nameEn: 'Nitrogen dioxide (NO₂)' },
    { field: 'so2', unit: 'µg/m³', nameVi: 'Lưu huỳnh điôxít (SO₂)', nameEn: 'Sulphur dioxide (SO₂)' },
    { field: 'co', unit: 'µg/m³', nameVi: 'Cacbon monoxít (CO)', nameEn: 'Carbon monoxide (CO)' },
    { field: 'temperature', unit: '°C', nameVi: 'Nhiệt độ', nameEn: 'Temperature' },
    { field: 'humidity', unit: '%RH', nameVi: 'Độ ẩm', nameEn: 'Humidity' },
    { field: 'pressure', unit: 'hPa', nameVi: 'Áp suất', nameEn: 'Pressure' },
  ],
  water: [
    { field: 'ph', unit: 'pH', nameVi: 'pH', nameEn: 'pH' },
    { field: 'do', unit: 'mg/L', nameVi: 'Ôxy hòa tan (DO)', nameEn: 'Dissolved oxygen (DO)' },
    {
      field: 'cod',
      unit: 'mg/L',
      nameVi: 'Nhu cầu ôxy hóa học (COD)',
      nameEn: 'Chemical oxygen demand (COD)',
    },
    { field: 'nh4', unit: 'mg/L', nameVi: 'Amoni (NH₄⁺)', nameEn: 'Ammonium (NH₄⁺)' },
    { field: 'tss', unit: 'mg/L', nameVi: 'Chất rắn lơ lửng (TSS)', nameEn: 'Suspended solids (TSS)' },
    { field: 'turbidity', unit: 'NTU', nameVi: 'Độ đục', nameEn: 'Turbidity' },
    { field: 'conductivity', unit: 'µS/cm', nameVi: 'Độ dẫn điện', nameEn: 'Conductivity' },
    { field: 'temperature', unit: '°C', nameVi: 'Nhiệt độ nước', nameEn: 'Water temperature' },
  ],
};

/** Which device profile measures what (docs/data-model.md); anything else is told apart by its data. */
export const PROFILE_KIND: Record<string, StationKind> = {
  'air-station-aqms': 'air',
  'pm-sensor-rs485': 'air',
  'water-multiprobe': 'water',
};

export interface ChannelLimit {
  standard: string;
  averaging: QcvnLimit['averaging'];
  comparison: 'max' | 'min' | 'range';
  /** One bound for max/min, [low, high] for range. */
  limit: number | [number, number];
  unit: string;
}

/** QCVN limits in force on the date (yyyy-mm-dd) for a channel; yearly means are left out (no chart shows a year's mean). */
export function limitsFor(kind: StationKind, field: string, date: string, waterLevel: 'A' | 'B' | 'C' = 'B') {
  return limitsInForce(date, { medium: kind, waterLevel })
    .filter((l) => l.parameter === field && l.averaging !== 'year')
    .map(
      (l): ChannelLimit => ({
        standard: l.standard,
        averaging: l.averaging,
        comparison: l.comparison,
        limit: l.comparison === 'range' ? [l.limit[0], l.limit[1]] : l.limit,
        unit: l.unit,
      }),
    );
}

export function channelOf(kind: StationKind, field: string): Channel | undefined {
  return CHANNELS[kind].find((c) => c.field === field);
}

/** Whether a value breaks a limit (range: outside; min: under; max: over). */
export function breaks(limit: ChannelLimit, value: number): boolean {
  if (Array.isArray(limit.limit)) return value < limit.limit[0] || value > limit.limit[1];
  return limit.comparison === 'min' ? value < limit.limit : value > limit.limit;
}
