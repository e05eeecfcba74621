import { formatDate, formatTime } from '../reports/local-time.js';
import { type StationKind, channelOf } from './channels.js';
import type { StationSeries } from './series.js';
import type { EnvironmentSummary } from './summary-report.js';

/** Excel opens a CSV as UTF-8 only when it starts with a byte order mark; without it diacritics break. */
const BOM = '\uFEFF';

function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // A leading =, +, - or @ would be run as a formula by spreadsheet programs (negative numbers are data).
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(values: (string | number | null)[]): string {
  return values.map(cell).join(',');
}

export function csvDocument(lines: string[]): string {
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh. */
export function localMinute(ts: number): string {
  return `${formatDate(ts)} ${formatTime(ts).slice(0, 5)}`;
}

function round(v: number | null): number | null {
  return v === null ? null : Math.round(v * 1000) / 1000;
}

/** The charted range as CSV: one line per bucket, mean/min/max per field with its unit. */
export function seriesCsv(
  station: { id: string; name: string; kind: StationKind },
  series: StationSeries,
): string {
  const header = ['Thời gian (giờ Việt Nam)'];
  for (const f of series.fields) {
    const c = channelOf(station.kind, f.field);
    const label = c ? `${c.nameVi} (${c.unit})` : f.field;
    header.push(`${label} trung bình`, `${label} nhỏ nhất`, `${label} lớn nhất`);
  }
  const lines = [
    csvLine([`Trạm quan trắc: ${station.name} (${station.id})`]),
    csvLine([
      `Từ ${localMinute(series.from)} đến ${localMinute(series.to)}, mỗi dòng ${Math.round(series.intervalMs / 60_000)} phút`,
    ]),
    csvLine(header),
    ...series.times.map((t, i) =>
      csvLine([
        localMinute(t),
        ...series.fields.flatMap((f) => [
          round(f.mean[i] ?? null),
          round(f.min[i] ?? null),
          round(f.max[i] ?? null),
        ]),
      ]),
    ),
  ];
  return csvDocument(lines);
}

function limitText(limit: number | [number, number], comparison: string): string {
  if (Array.isArray(limit)) return `${limit[0]}–${limit[1]}`;
  return `${comparison === 'min' ? '≥' : '≤'} ${limit}`;
}

export const AVERAGING_VI: Record<string, string> = {
  sample: 'từng mẫu',
  '1h': 'trung bình 1 giờ',
  '8h': 'trung bình 8 giờ',
  '24h': 'trung bình 24 giờ',
};

export function exceedanceLimitText(e: { limit: number | [number, number]; comparison: string }): string {
  return limitText(e.limit, e.comparison);
}

/** Summary as CSV: daily index per station, hours over limits per parameter, completeness. */
export function summaryCsv(s: EnvironmentSummary): string {
  const lines = [
    csvLine([`Báo cáo tổng hợp quan trắc môi trường: ${s.areaName}`]),
    csvLine([`Từ ngày ${formatDate(s.from)} đến ngày ${formatDate(s.to - 1)}`]),
    '',
    csvLine(['Trạm', 'Mã trạm', 'Ngày', 'Chỉ số', 'Giá trị', 'Mức', 'Ghi chú']),
    ...s.stations.flatMap((st) =>
      st.daily.map((d) =>
        csvLine([
          st.name,
          st.id,
          d.date.split('-').reverse().join('/'),
          st.index === 'aqi' ? 'VN_AQI' : 'VN_WQI',
          d.value,
          d.category,
          d.reason ?? '',
        ]),
      ),
    ),
    '',
    csvLine([
      'Trạm',
      'Mã trạm',
      'Thông số',
      'Đơn vị',
      'Quy chuẩn',
      'Giới hạn',
      'Số giờ vượt',
      'Số giờ có dữ liệu',
    ]),
    ...s.stations.flatMap((st) =>
      st.exceedances.map((e) =>
        csvLine([
          st.name,
          st.id,
          channelOf(st.kind, e.parameter)?.nameVi ?? e.parameter,
          e.unit,
          `${e.standard} (${AVERAGING_VI[e.averaging] ?? e.averaging})`,
          exceedanceLimitText(e),
          e.hours,
          e.hoursWithData,
        ]),
      ),
    ),
    '',
    csvLine(['Trạm', 'Mã trạm', 'Số giờ trong kỳ', 'Số giờ có dữ liệu', 'Tỷ lệ đầy đủ (%)']),
    ...s.stations.map((st) =>
      csvLine([
        st.name,
        st.id,
        st.completeness.expectedHours,
        st.completeness.hoursWithData,
        st.completeness.percent,
      ]),
    ),
  ];
  return csvDocument(lines);
}
