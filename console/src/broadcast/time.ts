import { z } from 'zod';

/**
 * Asia/Ho_Chi_Minh has been UTC+7 without daylight saving since 1975, so local wall time is a fixed
 * offset; no tz database is needed to expand occurrences.
 */
export const TIMEZONE = 'Asia/Ho_Chi_Minh';
export const VN_OFFSET_MS = 7 * 3_600_000;
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

/** Local midnight (epoch ms) of the Vietnamese day containing `ms`. */
export function localDayStart(ms: number): number {
  return Math.floor((ms + VN_OFFSET_MS) / DAY_MS) * DAY_MS - VN_OFFSET_MS;
}

/** Calendar fields of the Vietnamese day starting at local midnight `dayStart`. */
export function localDayFields(dayStart: number): { dayOfMonth: number; month: number; weekday: number } {
  const d = new Date(dayStart + VN_OFFSET_MS);
  return { dayOfMonth: d.getUTCDate(), month: d.getUTCMonth() + 1, weekday: d.getUTCDay() };
}

/** ISO 8601 with the +07:00 offset, the way people in the province read times. */
export function toLocalIso(ms: number): string {
  return `${new Date(ms + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

export function parseTimeOfDay(time: string): { hour: number; minute: number; second: number } {
  const [h = '0', m = '0', s = '0'] = time.split(':');
  return { hour: Number(h), minute: Number(m), second: Number(s) };
}
