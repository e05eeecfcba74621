import { readSnapshotEvent } from '../../integration/console-scale/snapshot-reader.js';
import type { ApiClient } from '../../integration/console/fixture.js';

/** Time until the console's live stream has delivered its whole `snapshot` event (what the map draws first). */
export async function liveSnapshotMs(api: ApiClient): Promise<number> {
  const started = performance.now();
  const controller = new AbortController();
  const res = await api.fetch('/api/live', { signal: controller.signal });
  if (res.status !== 200 || !res.body) throw new Error(`/api/live answered ${res.status}`);
  try {
    await readSnapshotEvent(res);
    return performance.now() - started;
  } finally {
    controller.abort();
  }
}

/** One timed GET; throws unless it answers 200 (a fast error page is not a latency). */
export async function timedGet(api: ApiClient, path: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await api.fetch(path);
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return { ms: performance.now() - started, bytes: body.byteLength };
}

/** What the console's pages fetch first: a page of devices (not all of them), the summary, areas, stations. */
export const OVERVIEW = [
  '/api/devices',
  '/api/devices/summary',
  '/api/areas',
  '/api/environment/stations',
] as const;
