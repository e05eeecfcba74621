/** Where a command writes: lines for the technician, and lines about what went wrong. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: 0 all good, 1 a checked profile is invalid, 2 the command itself was wrong. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** Left-aligned columns separated by two spaces, for terminals. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
