import { DAY_MS, toLocalIso } from '../time.js';
import { occurrences } from './occurrences.js';
import type { StartRule } from './recurrence.js';

/** What conflict detection needs to know about a schedule. */
export interface Slotted {
  id: string;
  title: string;
  clusters: readonly string[];
  rules: readonly StartRule[];
  validFrom: number;
  validTo: number | null;
  /** Length of one play-through of the playlist. */
  durationMs: number;
}

export interface Conflict {
  scheduleId: string;
  title: string;
  clusters: string[];
  /** First overlapping start of each side, local time. */
  first: { candidate: string; existing: string };
  overlaps: number;
}

/** Open-ended schedules are compared over this far ahead; weekly patterns repeat well within it. */
export const CONFLICT_HORIZON_MS = 366 * DAY_MS;

function window(s: Slotted, now: number): [number, number] {
  const from = Math.max(s.validFrom, now - DAY_MS);
  const to = Math.min(s.validTo ?? Number.POSITIVE_INFINITY, from + CONFLICT_HORIZON_MS);
  return [from, to];
}

/** Overlapping slots between `candidate` and each existing schedule sharing one of its clusters. */
export function findConflicts(candidate: Slotted, existing: readonly Slotted[], now: number): Conflict[] {
  const mine = new Set(candidate.clusters);
  const [cFrom, cTo] = window(candidate, now);
  if (cFrom >= cTo) return [];
  const cStarts = occurrences(candidate.rules, cFrom, cTo);
  const conflicts: Conflict[] = [];
  for (const other of existing) {
    if (other.id === candidate.id) continue;
    const shared = other.clusters.filter((c) => mine.has(c));
    if (shared.length === 0) continue;
    const [oFrom, oTo] = window(other, now);
    const from = Math.max(cFrom, oFrom) - Math.max(candidate.durationMs, other.durationMs);
    const to = Math.min(cTo, oTo);
    if (from >= to) continue;
    const oStarts = occurrences(other.rules, from, to);
    const hits = overlaps(cStarts, candidate.durationMs, oStarts, other.durationMs);
    const first = hits[0];
    if (first)
      conflicts.push({
        scheduleId: other.id,
        title: other.title,
        clusters: shared.sort(),
        first: { candidate: toLocalIso(first[0]), existing: toLocalIso(first[1]) },
        overlaps: hits.length,
      });
  }
  return conflicts;
}

/** Pairs of starts whose [start, start + duration) intervals intersect; both lists ascending. */
function overlaps(a: number[], aLen: number, b: number[], bLen: number): [number, number][] {
  const out: [number, number][] = [];
  let j = 0;
  for (const s of a) {
    while (j < b.length && (b[j] ?? 0) + bLen <= s) j++;
    for (let k = j; k < b.length; k++) {
      const t = b[k] ?? 0;
      if (t >= s + aLen) break;
      out.push([s, t]);
    }
  }
  return out;
}
