import { svg } from 'lit';

const WIDTH = 300;
const HEIGHT = 56;

/**
 * A small line chart of one health series (no chart library: a polyline scaled into the box); points
 * are dotted too, so a series of one or two values still shows.
 */
export function sparkline(points: ReadonlyArray<readonly [number, number]>, from: number, to: number) {
  const values = points.map((p) => p[1]);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  const x = (ts: number) => ((ts - from) / Math.max(to - from, 1)) * WIDTH;
  const y = (v: number) => (span === 0 ? HEIGHT / 2 : HEIGHT - 6 - ((v - min) / span) * (HEIGHT - 12));
  const line = points.map(([ts, v]) => `${x(ts).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const dots = points.length <= 24 ? points : points.slice(-1);
  return svg`<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" aria-hidden="true">
    <rect x="0" y="0" width=${WIDTH} height=${HEIGHT} fill="#f4f6f8"></rect>
    <polyline points=${line} fill="none" stroke="#0b5c8a" stroke-width="2" vector-effect="non-scaling-stroke"></polyline>
    ${dots.map(([ts, v]) => svg`<circle cx=${x(ts).toFixed(1)} cy=${y(v).toFixed(1)} r="3" fill="#0b5c8a"></circle>`)}
  </svg>`;
}
