import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const DOC = join(ROOT, 'docs/security.md');

describe('docs/security.md', () => {
  const text = readFileSync(DOC, 'utf8');
  const rows = text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| control') && !l.startsWith('|---'));

  it('backs every control it claims with at least one test, and every linked test exists', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    for (const row of rows) {
      const links = [...row.matchAll(/\]\(([^)]+\.test\.ts)\)/g)].map((m) => m[1] ?? '');
      expect(links.length, `no test linked for: ${row.slice(0, 80)}`).toBeGreaterThanOrEqual(1);
      for (const link of links) expect(existsSync(join(dirname(DOC), link)), link).toBe(true);
    }
  });

  it('quotes test names that exist in the file it links', () => {
    for (const row of rows) {
      const link = /\]\(([^)]+\.test\.ts)\)\s*"([^"…]+)/.exec(row);
      if (!link?.[1] || !link[2]) continue;
      const source = readFileSync(join(dirname(DOC), link[1]), 'utf8');
      expect(source, `${link[1]} has no test "${link[2].trim()}"`).toContain(link[2].trim());
    }
  });
});
