import type { Observation } from '../quality/index.js';
import { MEASUREMENTS } from '../schema/measurements.js';
import type { TimeSeriesStore } from '../store/types.js';

const HOUR = 3_600_000;
const AIR_CHANNELS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'];
/** QCVN 05:2023 limits are on 1-hour, 8-hour and 24-hour averages. */
const WINDOWS: Array<{ averaging: '1h' | '8h' | '24h'; hours: number }> = [
  { averaging: '1h', hours: 1 },
  { averaging: '8h', hours: 8 },
  { averaging: '24h', hours: 24 },
];
/** A multi-hour average needs three quarters of its hourly averages (usual monitoring practice). */
const MIN_COVERAGE = 0.75;

/**
 * 1-, 8- and 24-hour averages of the air channels ending at `hourEnd`, per device, as alarm engine
 * observations stamped at `hourEnd`: the mean of the hourly means in the window.
 */
export async function airAverageObservations(
  store: TimeSeriesStore,
  hourEnd: number,
): Promise<Observation[]> {
  const r = await store.query({
    measurement: MEASUREMENTS.air,
    fields: AIR_CHANNELS,
    from: hourEnd - 24 * HOUR,
    to: hourEnd,
    aggregate: 'mean',
    maxPoints: 24,
    resolution: 'raw',
  });
  const out: Observation[] = [];
  for (const s of r.series) {
    const stationId = s.tags.device;
    if (stationId === undefined) continue;
    for (const w of WINDOWS) {
      const inWindow = s.points.filter(([t]) => t >= hourEnd - w.hours * HOUR).map(([, v]) => v);
      if (inWindow.length === 0 || inWindow.length < Math.ceil(w.hours * MIN_COVERAGE)) continue;
      const value = inWindow.reduce((a, b) => a + b, 0) / inWindow.length;
      out.push({ kind: 'reading', stationId, channel: s.field, value, ts: hourEnd, averaging: w.averaging });
    }
  }
  return out;
}
