/**
 * Structural check of a 5- or 6-field cron expression (optional seconds first), the node-cron dialect:
 * numbers, ranges, steps, lists and `*`, plus month and weekday names.
 */
const FIELD_LIMITS: ReadonlyArray<readonly [number, number]> = [
  [0, 59],
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6,
};

function value(token: string, [lo, hi]: readonly [number, number]): boolean {
  const n = /^\d+$/.test(token) ? Number(token) : NAMES[token.toLowerCase()];
  return n !== undefined && n >= lo && n <= hi;
}

function field(text: string, limits: readonly [number, number]): boolean {
  return text.split(',').every((part) => {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') return false;
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
    if (range === '*') return true;
    const [a, b, more] = range.split('-');
    if (more !== undefined || a === undefined) return false;
    return value(a, limits) && (b === undefined || value(b, limits));
  });
}

/** Returns null when valid, otherwise why not. */
export function cronProblem(expression: string): string | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return `expected 5 or 6 fields, got ${parts.length}`;
  const limits = parts.length === 6 ? FIELD_LIMITS : FIELD_LIMITS.slice(1);
  for (let i = 0; i < parts.length; i++) {
    const lim = limits[i];
    const part = parts[i];
    if (lim && part !== undefined && !field(part, lim)) return `field ${i + 1} ("${part}") is out of range or malformed`;
  }
  return null;
}
