import { CsvInputError, csvCell, readCsvTable, vietnamIso } from './csv-table.js';
import { WQI_GROUPS, type WqiResult, type WqiSample, WqiSampleSchema, computeWqi } from './wqi.js';

export const WQI_COLUMNS = Object.keys(WqiSampleSchema.shape);

export interface WqiSampleRow {
  line: number;
  time: number;
  sample: WqiSample;
}

/** Reads the samples CSV of `npm run wqi`; throws CsvInputError naming the line of the first problem. */
export function parseSamplesCsv(text: string): WqiSampleRow[] {
  const { rows } = readCsvTable(text, WQI_COLUMNS);
  return rows.map((r) => {
    const parsed = WqiSampleSchema.safeParse(r.cells);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CsvInputError(r.line, `column ${issue.path.join('.')}: ${issue.message}`);
    }
    return { line: r.line, time: r.time, sample: parsed.data };
  });
}

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

export interface WqiReportLine {
  kind: 'sample';
  time: string;
  wqi: number | null;
  category: string | null;
  groups: Record<(typeof WQI_GROUPS)[number], number | null>;
  doSaturationPercent: number | null;
  reason?: string;
  notes?: string[];
}

export function wqiReportLine(time: number, r: WqiResult): WqiReportLine {
  const groups = Object.fromEntries(
    WQI_GROUPS.map((g) => [g, round2(r.groups[g])]),
  ) as WqiReportLine['groups'];
  return {
    kind: 'sample',
    time: vietnamIso(time),
    wqi: r.wqi,
    category: r.category?.nameVi ?? null,
    groups,
    doSaturationPercent: round2(r.doSaturationPercent),
    ...(r.reason === undefined ? {} : { reason: r.reason }),
    ...(r.notes.length === 0 ? {} : { notes: r.notes }),
  };
}

export function wqiReport(rows: readonly WqiSampleRow[]): WqiReportLine[] {
  return rows.map((r) => wqiReportLine(r.time, computeWqi(r.sample)));
}

export const WQI_CSV_HEADER = [
  'time',
  'wqi',
  'category',
  ...WQI_GROUPS,
  'do_saturation_percent',
  'reason',
].join(',');

export function wqiCsvLine(l: WqiReportLine): string {
  const reason = [l.reason, ...(l.notes ?? [])].filter(Boolean).join('; ');
  return [l.time, l.wqi, l.category, ...WQI_GROUPS.map((g) => l.groups[g]), l.doSaturationPercent, reason]
    .map(csvCell)
    .join(',');
}
