import type { BroadcastLog, BroadcastLogRow, ReportTotals } from './broadcast-log.js';
import { COLUMN_LABELS, OUTCOME_LABEL, PRIORITY_LABEL, TOTAL_LABELS } from './labels.js';
import { formatDate, formatDateTime, formatDuration, formatTime, isoToDisplayDate } from './local-time.js';

/** Excel opens a CSV as UTF-8 only when it starts with a byte order mark; without it diacritics break. */
const BOM = '\uFEFF';

function cell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // A leading =, +, - or @ would be run as a formula by spreadsheet programs.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function line(values: (string | number | null)[]): string {
  return values.map(cell).join(',');
}

export function rowCells(r: BroadcastLogRow): string[] {
  return [
    formatDate(r.at),
    r.startedAt === null ? '' : formatTime(r.startedAt),
    r.endedAt === null ? '' : formatTime(r.endedAt),
    formatDuration(r.durationMs),
    r.clusterName,
    r.clusterId,
    r.areaName,
    r.title,
    PRIORITY_LABEL[r.priority],
    r.scheduledAt === null ? '' : formatDateTime(r.scheduledAt),
    OUTCOME_LABEL[r.outcome],
    r.reason ?? '',
    r.requestedBy ?? '',
    r.approvedBy ?? '',
    r.broadcastId,
  ];
}

export function totalCells(t: ReportTotals): string[] {
  return [
    String(t.played),
    formatDuration(t.playedMs),
    String(t.interrupted),
    String(t.failed),
    String(t.missed),
    String(t.incomplete),
  ];
}

/** The log as CSV: header, one line per row, then totals per cluster and per day; CRLF as Excel expects. */
export function broadcastLogCsv(log: BroadcastLog): string {
  const lines: string[] = [
    line([`Nhật ký phát thanh: ${log.areaName}`]),
    line([`Từ ngày ${formatDate(log.from)} đến ngày ${formatDate(log.to - 1)}`]),
    line([...COLUMN_LABELS]),
    ...log.rows.map((r) => line(rowCells(r))),
    '',
    line(['Tổng theo cụm loa', ...TOTAL_LABELS]),
    ...log.perCluster.map((t) => line([`${t.label} (${t.key})`, ...totalCells(t)])),
    '',
    line(['Tổng theo ngày', ...TOTAL_LABELS]),
    ...log.perDay.map((t) => line([isoToDisplayDate(t.key), ...totalCells(t)])),
    line([log.total.label, ...totalCells(log.total)]),
  ];
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
