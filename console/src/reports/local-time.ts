/**
 * Commune reports read in Vietnam's civil time. Asia/Ho_Chi_Minh has been UTC+7 without daylight saving
 * since 1975, so a local calendar day is a fixed 24 h span; formatting still goes through Intl's zone.
 */
export const REPORT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const VN_OFFSET_MS = 7 * 3_600_000;
export const DAY_MS = 86_400_000;

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: REPORT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function fields(ts: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const out = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const p of parts.formatToParts(new Date(ts))) {
    if (p.type in out) out[p.type as keyof typeof out] = p.value;
  }
  return out;
}

/** dd/mm/yyyy, as Vietnamese forms write dates. */
export function formatDate(ts: number): string {
  const f = fields(ts);
  return `${f.day}/${f.month}/${f.year}`;
}

/** HH:mm:ss on a 24-hour clock. */
export function formatTime(ts: number): string {
  const f = fields(ts);
  return `${f.hour}:${f.minute}:${f.second}`;
}

export function formatDateTime(ts: number): string {
  return `${formatDate(ts)} ${formatTime(ts)}`;
}

/** Duration as h:mm:ss (or m:ss under an hour): what a radio log shows. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** Epoch ms of local midnight starting the ISO date (yyyy-mm-dd) in Vietnam. */
export function localDayStart(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1) - VN_OFFSET_MS;
}

/** The local day (yyyy-mm-dd) a moment falls in: the key for per-day totals. */
export function localDayKey(ts: number): string {
  const f = fields(ts);
  return `${f.year}-${f.month}-${f.day}`;
}

export function isoToDisplayDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}
