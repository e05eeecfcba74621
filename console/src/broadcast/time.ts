import { VIETNAM_OFFSET_MS } from '@xaso/device-profiles/contract';
import { z } from 'zod';

/**
 * Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 1975, so local wall time is a fixed
 * offset; no tz database is needed to expand occurrences (the contract's cron-times does the same).
 */
export const TIMEZONE = 'Asia/Ho_Chi_Minh';
const VN_OFFSET_MS = VIETNAM_OFFSET_MS;
export const DAY_MS = 86_400_000;

export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD in Asia/Ho_Chi_Minh')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );

export const LocalTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'a time HH:MM or HH:MM:SS in Asia/Ho_Chi_Minh');

/** Epoch ms of a local date (and time of day) in Vietnam. */
export function localToEpoch(date: string, time = '00:00:00'): number {
  const full = time.length === 5 ? `${time}:00` : time;
  return Date.parse(`${date}T${full}Z`) - VN_OFFSET_MS;
}

/** ISO 8601 with the +07:00 offset, the way people in the province read times. */
export function toLocalIso(ms: number): string {
  return `${new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

export function parseTimeOfDay(time: string): { hour: number; minute: number; second: number } {
  const [h = '0', m = '0', s = '0'] = time.split(':');
  return { hour: Number(h), minute: Number(m), second: Number(s) };
}
