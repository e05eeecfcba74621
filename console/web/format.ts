import { type Locale, TIME_ZONE, locale } from './i18n/locale.js';

const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>();

function parts(ms: number, lang: Locale): Record<string, string> {
  let format = dateTimeFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone: TIME_ZONE,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(lang, format);
  }
  const out: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(ms))) out[p.type] = p.value;
  return out;
}

/** dd/mm/yyyy in Asia/Ho_Chi_Minh whatever the browser's zone; both languages use the Vietnamese order. */
export function formatDate(ms: number, lang: Locale = locale()): string {
  const p = parts(ms, lang);
  return `${p.day}/${p.month}/${p.year}`;
}

/** dd/mm/yyyy HH:mm, 24-hour, in Asia/Ho_Chi_Minh. */
export function formatDateTime(ms: number, lang: Locale = locale()): string {
  const p = parts(ms, lang);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** m:ss (or h:mm:ss) for an audio duration. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function formatNumber(value: number, digits: number, lang: Locale = locale()): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}
