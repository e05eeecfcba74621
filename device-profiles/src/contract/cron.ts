/**
 * Structural check of a 5- or 6-field cron expression (optional seconds first), the node-cron dialect:
 * numbers, ranges, steps, lists and `*`, plus month names (month field) and weekday names (weekday field).
 */
interface FieldSpec {
  label: string;
  lo: number;
  hi: number;
  names?: Readonly<Record<string, number>>;
}

/** Month names the cron dialect accepts (month field). */
export const CRON_MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
/** Weekday names the cron dialect accepts (day-of-week field). */
export const CRON_WEEKDAYS: Readonly<Record<string, number>> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

const FIELDS: readonly FieldSpec[] = [
  { label: 'second', lo: 0, hi: 59 },
  { label: 'minute', lo: 0, hi: 59 },
  { label: 'hour', lo: 0, hi: 23 },
  { label: 'day of month', lo: 1, hi: 31 },
  { label: 'month', lo: 1, hi: 12, names: CRON_MONTHS },
  { label: 'day of week', lo: 0, hi: 7, names: CRON_WEEKDAYS },
];

/** A number or a name of this field, or why not. */
function numberOf(token: string, spec: FieldSpec): number | string {
  const name = token.toLowerCase();
  const n = /^\d+$/.test(token)
    ? Number(token)
    : spec.names && Object.hasOwn(spec.names, name)
      ? spec.names[name]
      : undefined;
  if (n === undefined) return `"${token}" is not a number${spec.names ? ' or a name' : ''}`;
  if (n < spec.lo || n > spec.hi) return `${n} is outside ${spec.lo}–${spec.hi}`;
  return n;
}

function partProblem(part: string, spec: FieldSpec): string | null {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || range === undefined || range === '') return `"${part}" is malformed`;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0))
    return `step "${step}" must be a positive number`;
  if (range === '*') return null;
  const [a, b, more] = range.split('-');
  if (more !== undefined || a === undefined || b === '') return `range "${range}" is malformed`;
  const from = numberOf(a, spec);
  if (typeof from === 'string') return from;
  if (b === undefined) return null;
  const to = numberOf(b, spec);
  if (typeof to === 'string') return to;
  return from > to ? `range "${range}" runs backwards` : null;
}

/** Returns null when valid, otherwise why not. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return `expected 5 or 6 fields, got ${parts.length}`;
  const specs = parts.length === 6 ? FIELDS : FIELDS.slice(1);
  for (let i = 0; i < parts.length; i++) {
    const spec = specs[i];
    const field = parts[i];
    if (!spec || field === undefined) continue;
    for (const part of field.split(',')) {
      const problem = partProblem(part, spec);
      if (problem) return `${spec.label} field "${field}": ${problem}`;
    }
  }
  return null;
}
