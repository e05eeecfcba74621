/**
 * The stations one "station silent" rule watches, ordered by when each was last heard from, so letting time
 * pass looks only at the stations that have gone quiet instead of at every station. A station is in the
 * queue at most once: a newer "heard from" moves it back when its old entry comes up.
 */
const before = (a: [number, string], b: [number, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

export class SilenceQueue {
  /** A binary min-heap of [last seen, station id]. */
  private readonly heap: [number, string][] = [];
  private readonly queued = new Set<string>();

  note(stationId: string, seen: number): void {
    if (this.queued.has(stationId)) return;
    this.queued.add(stationId);
    this.push([seen, stationId]);
  }

  /**
   * Stations silent since `seen + silentForMs <= t`, earliest first; each leaves the queue until it is noted
   * again. `lastSeen` is the engine's current record, which may be newer than the queued entry.
   */
  *due(t: number, silentForMs: number, lastSeen: (stationId: string) => number | undefined) {
    for (;;) {
      const top = this.heap[0];
      if (!top || top[0] + silentForMs > t) return;
      this.pop();
      const [seen, stationId] = top;
      const current = lastSeen(stationId);
      if (current !== undefined && current > seen) {
        this.push([current, stationId]);
        continue;
      }
      this.queued.delete(stationId);
      if (current !== undefined) yield { stationId, seen: current };
    }
  }

  private push(entry: [number, string]): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as [number, string];
      if (!before(entry, p)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = entry;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && before(h[r] as [number, string], h[l] as [number, string]) ? r : l;
      const c = h[child] as [number, string];
      if (!before(c, last)) break;
      h[i] = c;
      i = child;
    }
    h[i] = last;
  }
}
