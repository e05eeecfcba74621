/** A small, strict CSV reader for the officers' CLI files: a `time` column, then numeric columns. */
export class CsvInputError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvInputError';
  }
}

export interface CsvRow {
  line: number;
  time: number;
  /** The time text as written, for messages. */
  timeText: string;
  cells: Record<string, number | undefined>;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function parseIsoWithOffset(text: string): number | null {
  if (!ISO_WITH_OFFSET.test(text)) return null;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 2024-02-30 over to March; reject anything whose calendar fields do not survive.
  const [, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(Number(text.slice(0, 4)), month - 1, day));
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day ? ms : null;
}

export function readCsvTable(
  text: string,
  allowedColumns: readonly string[],
): { columns: string[]; rows: CsvRow[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0)
    throw new CsvInputError(1, 'empty file: expected a header line starting with "time"');
  const header = lines[0]!.split(',').map((h) => h.trim().toLowerCase());
  if (header[0] !== 'time') throw new CsvInputError(1, `first column must be "time", got "${header[0]}"`);
  const columns = header.slice(1);
  const seen = new Set<string>();
  for (const c of columns) {
    if (!allowedColumns.includes(c)) {
      throw new CsvInputError(1, `unknown column "${c}" (allowed: ${allowedColumns.join(', ')})`);
    }
    if (seen.has(c)) throw new CsvInputError(1, `column "${c}" appears twice`);
    seen.add(c);
  }
  const rows: CsvRow[] = [];
  const byTime = new Map<number, number>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') throw new CsvInputError(line, 'blank line inside the data');
    if (raw.includes('"'))
      throw new CsvInputError(line, 'quoted fields are not supported; cells are plain numbers');
    const fields = raw.split(',').map((f) => f.trim());
    if (fields.length !== header.length) {
      throw new CsvInputError(line, `${fields.length} fields, header has ${header.length}`);
    }
    const timeText = fields[0]!;
    const time = parseIsoWithOffset(timeText);
    if (time === null) {
      throw new CsvInputError(
        line,
        `bad time "${timeText}": use ISO 8601 with an offset, e.g. 2024-01-05T13:00:00+07:00`,
      );
    }
    const earlier = byTime.get(time);
    if (earlier !== undefined) throw new CsvInputError(line, `time ${timeText} repeats line ${earlier}`);
    byTime.set(time, line);
    const cells: Record<string, number | undefined> = {};
    columns.forEach((c, k) => {
      const cell = fields[k + 1]!;
      if (cell === '') return;
      if (!NUMBER.test(cell)) throw new CsvInputError(line, `column ${c}: "${cell}" is not a number`);
      cells[c] = Number(cell);
    });
    rows.push({ line, time, timeText, cells });
  });
  rows.sort((a, b) => a.time - b.time);
  return { columns, rows };
}

/** RFC 4180 quoting for output cells. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** ISO 8601 in Asia/Ho_Chi_Minh (+07:00), the form officers read. */
export function vietnamIso(time: number): string {
  return `${new Date(time + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
}
