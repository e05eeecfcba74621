import { z } from 'zod';

/** Units as real instruments report them; a closed list so a typo in a profile is caught at load. */
export const UNITS = [
  'µg/m³',
  'mg/m³',
  'ppm',
  'ppb',
  '°C',
  '%RH',
  'hPa',
  'pH',
  'mg/L',
  'NTU',
  'µS/cm',
  'mS/cm',
  'mV',
  'V',
  'A',
  'mA',
  '%',
  'dB',
  'dBm',
  'm/s',
  '°',
  'mm',
  's',
  'count',
  'state',
] as const;
export const UnitSchema = z.enum(UNITS);
export type Unit = z.infer<typeof UnitSchema>;

/** Quality of one reading; anything but `good` is kept and flagged, never dropped. */
export const QUALITIES = ['good', 'out_of_range', 'stuck', 'sensor_fault', 'nan', 'comm_error'] as const;
export const QualitySchema = z.enum(QUALITIES);
export type Quality = z.infer<typeof QualitySchema>;
